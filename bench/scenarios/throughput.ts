import { Client, Connection } from '@temporalio/client';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { closedLoop, timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { historyDetail, historyEvents } from '../bench-history.ts';
import { cpuDuring, cpuPerJob } from '../bench-processes.ts';
import { cpuFigure, distribution, msDetail, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

export const IN_FLIGHT = 32;

/**
 * Trivial 1-step and 3-step jobs, 32 in flight for a fixed window: completed jobs per second and
 * their latency, CPU per job by process, and the Temporal history events of a sample of them.
 */
export async function throughputScenario(ctx: BenchContext): Promise<Figure[]> {
  const seconds = sized(ctx, 60, 8);
  const figures: Figure[] = [];
  // One round of 32 first, so the workers' first workflows (code loading, JIT) are not measured.
  // A warm-up run that fails does not end the scenario: the measured window counts its own failures.
  await Promise.allSettled(Array.from({ length: IN_FLIGHT }, () => timedRun(ctx.target.url, BENCH_JOBS.oneStep)));
  const connection = ctx.temporalAddress ? await Connection.connect({ address: ctx.temporalAddress }) : undefined;
  try {
    for (const [suffix, job] of [
      ['-1-step', BENCH_JOBS.oneStep],
      ['-3-step', BENCH_JOBS.threeStep],
    ] as const) {
      const {
        result: { inWindow, all, failures },
        cpuMs,
      } = await cpuDuring(await ctx.processes(), () =>
        closedLoop(IN_FLIGHT, seconds * 1000, () => timedRun(ctx.target.url, job)),
      );
      const complete = inWindow.filter((r) => r.status === 'complete');
      const d = distribution(complete.map((r) => r.ms));
      const notComplete = inWindow.length - complete.length + failures;
      // CPU per completed job and process: where the machine's cores go.
      const ended = all.filter((r) => r.status === 'complete');
      const perJob = cpuPerJob(cpuMs, ended.length);
      figures.push(
        {
          name: `throughput${suffix}`,
          value: complete.length / seconds,
          unit: 'jobs/s',
          detail: `latency ${msDetail(d)}, ${IN_FLIGHT} in flight for ${seconds} s${notComplete ? `, ${notComplete} not complete` : ''}`,
          data: {
            ...d,
            seconds,
            inFlight: IN_FLIGHT,
            completed: complete.length,
            notComplete,
            cpuPerJob: perJob,
            samples: complete.map((r) => r.ms),
          },
        },
        cpuFigure(`cpu${suffix}`, perJob, `${job} at ${IN_FLIGHT} in flight`),
      );
      if (connection) {
        const ids = ended.map((r) => workflowIdFor(r.id));
        const history = await historyEvents(new Client({ connection }), ids);
        figures.push({
          name: `history${suffix}`,
          value: history.mean,
          unit: 'events/job',
          detail: `${job}, ${historyDetail(history)}`,
          data: { ...history },
        });
      }
    }
    return figures;
  } finally {
    await connection?.close();
  }
}
