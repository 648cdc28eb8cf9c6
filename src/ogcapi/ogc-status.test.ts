import { ogcStatus } from './ogc-status.ts';

describe('ogcStatus', () => {
  it.each([
    ['submitted', 'accepted'],
    ['running', 'running'],
    ['complete', 'successful'],
    ['expired', 'successful'],
    ['error', 'failed'],
    ['crash', 'failed'],
    ['cancelled', 'dismissed'],
    ['deleted', 'dismissed'],
  ] as const)('maps %s to %s', (ours, theirs) => {
    expect(ogcStatus(ours)).toBe(theirs);
  });
});
