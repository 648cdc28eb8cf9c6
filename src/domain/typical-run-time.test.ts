import { typicalRunTime } from './typical-run-time.ts';

describe('typicalRunTime', () => {
  it('gives 1049 for samples 1800 and 300, the reference worked example', () => {
    expect(typicalRunTime([1800, 300])).toBe(1049);
  });

  it('gives the value itself for a single sample', () => {
    expect(typicalRunTime([2700])).toBe(2700);
  });

  it('gives null when the samples have no spread, where scipy found the covariance singular', () => {
    expect(typicalRunTime([5, 5])).toBeNull();
    expect(typicalRunTime([0, 0, 0])).toBeNull();
  });

  it('gives null for no samples', () => {
    expect(typicalRunTime([])).toBeNull();
  });

  // Expected values computed with scipy.stats.gaussian_kde, as A_A does.
  it.each([
    [[10, 20, 30, 40, 1000], 25],
    [[100, 100, 100, 400], 102],
    [[60, 62, 65, 70, 300, 310, 3000], 150],
    [[10000, 10001], 10001],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 5],
  ])('matches scipy for %j', (samples, expected) => {
    expect(typicalRunTime(samples)).toBe(expected);
  });
});
