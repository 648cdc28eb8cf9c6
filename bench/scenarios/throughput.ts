import { closedLoop, timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { cpuDuring } from '../bench-processes.ts';
import { distribution, msDetail, round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

export const IN_FLIGHT = 32;

/** Trivial 1-step and 3-step jobs, 32 in flight for a fixed window: completed jobs per second and their latency. */
export async function throughputScenario(ctx: BenchContext): Promise<Figure[]> {
  const seconds = sized(ctx, 60, 8);
  const figures: Figure[] = [];
  // One round of 32 first, so the workers' first workflows (code loading, JIT) are not measured.
  await Promise.all(Array.from({ length: IN_FLIGHT }, () => timedRun(ctx.target.url, BENCH_JOBS.oneStep)));
  for (const [name, job] of [
    ['throughput-1-step', BENCH_JOBS.oneStep],
    ['throughput-3-step', BENCH_JOBS.threeStep],
  ] as const) {
    const {
      result: { inWindow, failures },
      cpuMs,
    } = await cpuDuring(await ctx.processes(), () =>
      closedLoop(IN_FLIGHT, seconds * 1000, () => timedRun(ctx.target.url, job)),
    );
    const complete = inWindow.filter((r) => r.status === 'complete');
    const d = distribution(complete.map((r) => r.ms));
    const notComplete = inWindow.length - complete.length + failures;
    // CPU per completed job and process: where the machine's two cores go.
    const cpuPerJob = Object.fromEntries(
      Object.entries(cpuMs).map(([role, ms]) => [role, round(ms / Math.max(1, complete.length), 2)]),
    );
    console.log(
      `  ${name} CPU ms per job: ${Object.entries(cpuPerJob)
        .map(([role, ms]) => `${role} ${ms}`)
        .join(', ')}`,
    );
    figures.push({
      name,
      value: complete.length / seconds,
      unit: 'jobs/s',
      detail: `latency ${msDetail(d)}, ${IN_FLIGHT} in flight for ${seconds} s${notComplete ? `, ${notComplete} not complete` : ''}`,
      data: {
        ...d,
        seconds,
        inFlight: IN_FLIGHT,
        completed: complete.length,
        notComplete,
        cpuPerJob,
        samples: complete.map((r) => r.ms),
      },
    });
  }
  return figures;
}
