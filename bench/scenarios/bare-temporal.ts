import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { closedLoop } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { historyDetail, historyEvents } from '../bench-history.ts';
import { cpuDuring, cpuPerJob, spawnLogged, type BenchProcess } from '../bench-processes.ts';
import { RUN_DIR } from '../bench-stack.ts';
import { cpuFigure, distribution, msDetail, round, type Figure } from '../bench-stats.ts';
import { IN_FLIGHT } from './throughput.ts';

const WORKER_SCRIPT = path.join(import.meta.dirname, '..', 'bare', 'bare-worker.ts');

async function startBareWorker(address: string, taskQueue: string): Promise<BenchProcess> {
  const worker = spawnLogged(
    'bare-worker',
    WORKER_SCRIPT,
    [address, taskQueue],
    { PATH: process.env.PATH },
    path.join(RUN_DIR, 'bare-worker.log'),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      worker.child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      worker.child.once('exit', (code) =>
        reject(new Error(`bare worker exited with ${code} (see ${RUN_DIR}/bare-worker.log)`)),
      );
    });
    return worker;
  } catch (err) {
    await worker.stop();
    throw err;
  }
}

/**
 * The same workflow shapes on bare Temporal (a client, a worker running `true` with execa; no API,
 * no database), measured the way ours are: 1 activity one at a time for latency, then 1 and 3
 * activities 32 in flight for throughput, CPU per job by process and history events per job.
 * The overhead ratios put ours over bare, so 1.0 means no overhead: latency p50 ours/bare, and
 * time per job at full load ours/bare (bare jobs/s over ours).
 */
export async function bareTemporalScenario(ctx: BenchContext): Promise<Figure[]> {
  if (!ctx.temporalAddress) {
    console.log('overhead: skipped (no Temporal address: pass --temporal HOST:PORT with --url)');
    return [];
  }
  const taskQueue = `bench-bare-${randomUUID().slice(0, 8)}`;
  const worker = await startBareWorker(ctx.temporalAddress, taskQueue);
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  try {
    const client = new Client({ connection });
    const run = (workflowType: string) => async () => {
      const workflowId = `bare-${randomUUID()}`;
      const t0 = performance.now();
      await client.workflow.execute(workflowType, { taskQueue, workflowId, args: [] });
      return { ms: performance.now() - t0, id: workflowId };
    };
    const once = run('bareWorkflow');
    for (let i = 0; i < sized(ctx, 20, 5); i++) await once();
    const samples: number[] = [];
    for (let i = 0; i < sized(ctx, 200, 20); i++) samples.push((await once()).ms);
    const latency = distribution(samples);
    const figures: Figure[] = [
      {
        name: 'bare-latency',
        value: latency.p50,
        unit: 'ms',
        detail: msDetail(latency),
        data: { ...latency, samples },
      },
    ];

    const seconds = sized(ctx, 60, 8);
    const { temporal } = await ctx.processes();
    const rates: Record<string, number> = {};
    for (const [suffix, workflowType] of [
      ['', 'bareWorkflow'],
      ['-3-step', 'bareWorkflow3'],
    ] as const) {
      const { result: load, cpuMs } = await cpuDuring({ worker: [worker.child.pid!], temporal: temporal ?? [] }, () =>
        closedLoop(IN_FLIGHT, seconds * 1000, run(workflowType)),
      );
      const done = load.inWindow.length;
      const ended = load.all.length;
      const loaded = distribution(load.inWindow.map((r) => r.ms));
      rates[suffix] = done / seconds;
      const history = await historyEvents(
        client,
        load.all.map((r) => r.id),
      );
      const shape = suffix ? '3 activities' : '1 activity';
      figures.push(
        {
          name: `bare-throughput${suffix}`,
          value: rates[suffix],
          unit: 'jobs/s',
          detail: `${shape}, latency ${msDetail(loaded)}, ${IN_FLIGHT} in flight for ${seconds} s${load.failures ? `, ${load.failures} failed` : ''}`,
          data: { ...loaded, seconds, completed: done, failures: load.failures, cpuPerJob: cpuPerJob(cpuMs, ended) },
        },
        cpuFigure(`bare-cpu${suffix || '-1-step'}`, cpuPerJob(cpuMs, ended), `${shape} on bare Temporal`),
        {
          name: `bare-history${suffix || '-1-step'}`,
          value: history.mean,
          unit: 'events/job',
          detail: `${shape}, ${historyDetail(history)}`,
          data: { ...history },
        },
      );
    }

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
        value: rates['']! / oursRate.value,
        unit: 'x',
        detail: `ours/bare time per job at ${IN_FLIGHT} in flight: bare ${round(rates['']!)} jobs/s / ours ${round(oursRate.value)} jobs/s`,
      });
    }
    return figures;
  } finally {
    await connection.close();
    await worker.stop();
  }
}
