import { effectiveLimits, formatBytes, limitExceededMessage, NO_LIMITS } from './resource-limits.ts';

describe('effectiveLimits', () => {
  it("takes the task's own limit over its backend's default, one limit at a time", () => {
    expect(effectiveLimits({ memoryBytes: 1024, cpuSeconds: 5 }, { memoryBytes: 2048, processes: 32 })).toEqual({
      cpuSeconds: 5,
      memoryBytes: 1024,
      processes: 32,
      openFiles: null,
      outputBytes: null,
    });
  });

  it('is no limit at all when neither sets one', () => {
    expect(effectiveLimits(undefined, {})).toEqual(NO_LIMITS);
  });
});

describe('limit messages', () => {
  it.each([
    [268435456, '256 MiB'],
    [10485760, '10 MiB'],
    [1073741824, '1 GiB'],
    [1536, '1536 bytes'],
    [2048, '2 KiB'],
  ])('writes %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('names the limit and its value', () => {
    expect(limitExceededMessage('memoryBytes', 256 * 1024 * 1024)).toBe('memory limit 256 MiB exceeded');
    expect(limitExceededMessage('outputBytes', 10 * 1024 * 1024)).toBe('output limit 10 MiB exceeded');
    expect(limitExceededMessage('cpuSeconds', 2)).toBe('CPU limit 2 s exceeded');
    expect(limitExceededMessage('processes', 32)).toBe('process limit 32 exceeded');
  });
});
