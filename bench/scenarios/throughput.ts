import { closedLoop, timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { distribution, msDetail, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

export const IN_FLIGHT = 32;

/** Trivial 1-step and 3-step jobs, 32 in flight for a fixed window: completed jobs per second and their latency. */
export async function throughputScenario(ctx: BenchContext): Promise<Figure[]> {
  const seconds = sized(ctx, 60, 10);
  const figures: Figure[] = [];
  for (const [name, job] of [
    ['throughput-1-step', BENCH_JOBS.oneStep],
    ['throughput-3-step', BENCH_JOBS.threeStep],
  ] as const) {
    const { inWindow, failures } = await closedLoop(IN_FLIGHT, seconds * 1000, () => timedRun(ctx.target.url, job));
    const complete = inWindow.filter((r) => r.status === 'complete');
    const d = distribution(complete.map((r) => r.ms));
    const notComplete = inWindow.length - complete.length + failures;
    figures.push({
      name,
      value: complete.length / seconds,
      unit: 'jobs/s',
      detail: `latency ${msDetail(d)}, ${IN_FLIGHT} in flight for ${seconds} s${notComplete ? `, ${notComplete} not complete` : ''}`,
      data: { ...d, seconds, inFlight: IN_FLIGHT, completed: complete.length, notComplete, samples: complete.map((r) => r.ms) },
    });
  }
  return figures;
}
