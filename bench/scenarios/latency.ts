import { timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { distribution, msDetail, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

/** A 1-step job running `true`, one at a time: POST until a `?wait` GET sees the terminal status. */
export async function latencyScenario(ctx: BenchContext): Promise<Figure[]> {
  const warmUp = sized(ctx, 20, 5);
  const runs = sized(ctx, 200, 20);
  for (let i = 0; i < warmUp; i++) await timedRun(ctx.target.url, BENCH_JOBS.oneStep);
  const samples: number[] = [];
  let failed = 0;
  for (let i = 0; i < runs; i++) {
    const run = await timedRun(ctx.target.url, BENCH_JOBS.oneStep);
    if (run.status !== 'complete') failed++;
    samples.push(run.ms);
  }
  const d = distribution(samples);
  return [
    {
      name: 'latency',
      value: d.p50,
      unit: 'ms',
      detail: `${msDetail(d)}${failed ? `, ${failed} not complete` : ''}`,
      data: { ...d, failed, warmUp, samples },
    },
  ];
}
