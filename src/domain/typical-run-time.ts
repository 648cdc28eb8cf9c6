// A_A's /jobtimes/ estimate (reference/aa-behaviour.md §2.7), without numpy or scipy.

const GRID_POINTS = 200;

/**
 * The typical run time of a job in whole seconds, as A_A computes it: one sample is its own
 * answer; otherwise the x of highest density of a Gaussian KDE with Scott's bandwidth
 * (sample std, ddof 1, times n^(-1/5)), evaluated on linspace(0, max, 200), floored. Samples
 * with no spread give null, as scipy's singular covariance did. No samples also give null.
 * @example typicalRunTime([1800, 300]) === 1049
 */
export function typicalRunTime(samples: readonly number[]): number | null {
  const n = samples.length;
  if (n === 0) return null;
  if (n === 1) return samples[0]!;
  const mean = samples.reduce((sum, x) => sum + x, 0) / n;
  const variance = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1);
  if (!(variance > 0)) return null;
  const bandwidth = Math.sqrt(variance) * n ** (-1 / 5);
  const max = samples.reduce((m, x) => Math.max(m, x), -Infinity);
  // numpy's linspace: i * step, with the last point set to max exactly.
  const step = max / (GRID_POINTS - 1);
  let bestDensity = -Infinity;
  let bestX = 0;
  for (let i = 0; i < GRID_POINTS; i++) {
    const x = i === GRID_POINTS - 1 ? max : i * step;
    // The constant factor of the kernel does not move the mode, so it is left out.
    let density = 0;
    for (const sample of samples) density += Math.exp(-0.5 * ((x - sample) / bandwidth) ** 2);
    // ">=" keeps the last of equal maxima, as A_A's argsort(...)[-1] does.
    if (density >= bestDensity) {
      bestDensity = density;
      bestX = x;
    }
  }
  return Math.floor(bestX);
}
