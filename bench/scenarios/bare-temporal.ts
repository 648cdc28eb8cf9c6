import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { closedLoop } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { cpuDuring, spawnLogged } from '../bench-processes.ts';
import { RUN_DIR } from '../bench-stack.ts';
import { distribution, msDetail, round, type Figure } from '../bench-stats.ts';
import { IN_FLIGHT } from './throughput.ts';

const WORKER_SCRIPT = path.join(import.meta.dirname, '..', 'bare', 'bare-worker.ts');

/**
 * The same 1-activity shape on bare Temporal (a client, a worker running `true` with execa; no API,
 * no database), measured the way ours is: latency one at a time, then 32 in flight. The ratios put
 * ours over bare, so 1.0 means no overhead: latency p50 ours/bare, and time per job at full load
 * ours/bare (bare jobs/s over ours).
 */
export async function bareTemporalScenario(ctx: BenchContext): Promise<Figure[]> {
  if (!ctx.temporalAddress) {
    console.log('overhead: skipped (no Temporal address: pass --temporal HOST:PORT with --url)');
    return [];
  }
  const taskQueue = `bench-bare-${randomUUID().slice(0, 8)}`;
  const worker = spawnLogged(
    'bare-worker',
    WORKER_SCRIPT,
    [ctx.temporalAddress, taskQueue],
    { PATH: process.env.PATH },
    path.join(RUN_DIR, 'bare-worker.log'),
  );
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      worker.child.once('exit', (code) =>
        reject(new Error(`bare worker exited with ${code} (see ${RUN_DIR}/bare-worker.log)`)),
      );
    });
    const client = new Client({ connection });
    const once = async () => {
      const t0 = performance.now();
      await client.workflow.execute('bareWorkflow', { taskQueue, workflowId: `bare-${randomUUID()}`, args: [] });
      return performance.now() - t0;
    };
    for (let i = 0; i < sized(ctx, 20, 5); i++) await once();
    const samples: number[] = [];
    for (let i = 0; i < sized(ctx, 200, 20); i++) samples.push(await once());
    const latency = distribution(samples);
    const seconds = sized(ctx, 60, 8);
    const { temporal } = await ctx.processes();
    const { result: load, cpuMs } = await cpuDuring({ worker: [worker.child.pid!], temporal: temporal ?? [] }, () =>
      closedLoop(IN_FLIGHT, seconds * 1000, once),
    );
    const cpuPerJob = Object.fromEntries(
      Object.entries(cpuMs).map(([role, ms]) => [role, round(ms / Math.max(1, load.inWindow.length), 2)]),
    );
    console.log(
      `  bare-throughput CPU ms per job: ${Object.entries(cpuPerJob)
        .map(([role, ms]) => `${role} ${ms}`)
        .join(', ')}`,
    );
    const loaded = distribution(load.inWindow);
    const bareRate = load.inWindow.length / seconds;

    const figures: Figure[] = [
      {
        name: 'bare-latency',
        value: latency.p50,
        unit: 'ms',
        detail: msDetail(latency),
        data: { ...latency, samples },
      },
      {
        name: 'bare-throughput',
        value: bareRate,
        unit: 'jobs/s',
        detail: `latency ${msDetail(loaded)}, ${IN_FLIGHT} in flight for ${seconds} s${load.failures ? `, ${load.failures} failed` : ''}`,
        data: { ...loaded, seconds, completed: load.inWindow.length, failures: load.failures, cpuPerJob },
      },
    ];
    const ours = ctx.figures.get('latency');
    const oursRate = ctx.figures.get('throughput-1-step');
    if (ours) {
      figures.push({
        name: 'overhead-latency',
        value: ours.value / latency.p50,
        unit: 'x',
        detail: `ours/bare p50: ${round(ours.value)} ms / ${round(latency.p50)} ms`,
      });
    }
    if (oursRate) {
      figures.push({
        name: 'overhead-throughput',
        value: bareRate / oursRate.value,
        unit: 'x',
        detail: `ours/bare time per job at ${IN_FLIGHT} in flight: bare ${round(bareRate)} jobs/s / ours ${round(oursRate.value)} jobs/s`,
      });
    }
    return figures;
  } finally {
    await connection.close();
    await worker.stop();
  }
}
