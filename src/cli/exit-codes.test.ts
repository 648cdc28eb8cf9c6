import { EXIT, exitCodeForStatus, isFinished } from './exit-codes.ts';

describe('exit codes', () => {
  it.each([
    ['complete', EXIT.ok],
    ['error', EXIT.failed],
    ['crash', EXIT.failed],
    ['expired', EXIT.failed],
    ['cancelled', EXIT.cancelled],
  ])('exits %s as %d', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('tells finished statuses from running ones', () => {
    expect(isFinished('cancelled')).toBe(true);
    expect(isFinished('running')).toBe(false);
    expect(isFinished('submitted')).toBe(false);
  });
});
