import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { closedLoop } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { cpuDuring, cpuPerJob } from '../bench-processes.ts';
import { cpuFigure, distribution, msDetail, round, type Figure } from '../bench-stats.ts';

// As many starters as the API load has connections, for as long (bench/scenarios/api-load.ts).
export const STARTERS = 50;

/**
 * The floor of POST /api/v1/jobs/{name}/submissions: bare `workflow.start` from 50 concurrent
 * starters for a fixed window, on a task queue no worker polls, so only the start itself is
 * measured. The workflows are terminated afterwards, so none is left for the next scenario.
 */
export async function bareStartScenario(ctx: BenchContext): Promise<Figure[]> {
  if (!ctx.temporalAddress) {
    console.log('bare-start: skipped (no Temporal address: pass --temporal HOST:PORT with --url)');
    return [];
  }
  const seconds = sized(ctx, 15, 3);
  const taskQueue = `bench-unpolled-${randomUUID().slice(0, 8)}`;
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const started: string[] = [];
  const client = new Client({ connection });
  try {
    const start = async () => {
      const workflowId = `bare-start-${randomUUID()}`;
      const t0 = performance.now();
      await client.workflow.start('bareWorkflow', { taskQueue, workflowId, args: [] });
      started.push(workflowId);
      return performance.now() - t0;
    };
    await Promise.all(Array.from({ length: STARTERS }, start));
    const { temporal } = await ctx.processes();
    const { result, cpuMs } = await cpuDuring({ temporal: temporal ?? [] }, () =>
      closedLoop(STARTERS, seconds * 1000, start),
    );
    const d = distribution(result.inWindow);
    const rate = result.inWindow.length / seconds;
    return [
      {
        name: `bare-start-c${STARTERS}`,
        value: rate,
        unit: 'req/s',
        detail: `${msDetail(d)}, ${STARTERS} concurrent workflow.start for ${seconds} s${result.failures ? `, ${result.failures} failed` : ''}`,
        data: { ...d, seconds, starts: result.inWindow.length, failures: result.failures },
      },
      cpuFigure(`bare-start-cpu`, cpuPerJob(cpuMs, result.all.length), `per workflow.start at ${STARTERS}`),
    ];
  } finally {
    const t0 = performance.now();
    const terminateAll = async () => {
      for (let id = started.pop(); id; id = started.pop())
        await client.workflow
          .getHandle(id)
          .terminate('benchmark over')
          .catch(() => {});
    };
    await Promise.all(Array.from({ length: STARTERS }, terminateAll));
    console.log(`  terminated the ${STARTERS}-starter workflows in ${round((performance.now() - t0) / 1000)} s`);
    await connection.close();
  }
}
