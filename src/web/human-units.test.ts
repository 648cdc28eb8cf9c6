import { humanBytes, humanSeconds, timeLeft } from './human-units.ts';

describe('human units', () => {
  it('writes sizes in binary units and small sizes in bytes', () => {
    expect(humanBytes(0)).toBe('0 bytes');
    expect(humanBytes(1023)).toBe('1023 bytes');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });

  it('writes durations in seconds, minutes or hours', () => {
    expect(humanSeconds(42)).toBe('42 s');
    expect(humanSeconds(75)).toBe('1 min 15 s');
    expect(humanSeconds(7260)).toBe('2 h 1 min');
  });

  it('estimates the time left from the typical run time, and says when a run is late or has no estimate', () => {
    expect(timeLeft(600, 120)).toBe('about 8 min 0 s left (typically 10 min 0 s)');
    expect(timeLeft(600, 700)).toBe('taking longer than usual (typically 10 min 0 s)');
    expect(timeLeft(null, 5)).toBeNull();
  });
});
