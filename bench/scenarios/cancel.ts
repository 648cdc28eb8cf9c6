import { requestCancel, submit, waitForEnd } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { descendantsNamed, isAlive } from '../bench-processes.ts';
import { distribution, round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

const CANCEL_PATH = '/api/v1/submissions/{id}/cancel';

async function cancelRouteExists(url: string): Promise<boolean> {
  const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths?: Record<string, { post?: unknown }> };
  return Boolean(doc.paths?.[CANCEL_PATH]?.post);
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, stepMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/**
 * Cancels a running `sh -c 'sleep 600 & sleep 600; wait'` and times the request until every PID of
 * the tree is dead. The PIDs are found as the backend worker's descendants, polled from /proc.
 */
export async function cancelScenario(ctx: BenchContext): Promise<Figure[]> {
  const { url } = ctx.target;
  if (!(await cancelRouteExists(url))) {
    console.log('cancel: skipped (route not available)');
    return [];
  }
  const workerPid = ctx.pids.backend;
  if (!workerPid) {
    console.log('cancel: skipped (the backend worker is not a local process)');
    return [];
  }
  const samples: number[] = [];
  const untilCancelled: number[] = [];
  for (let i = 0; i < sized(ctx, 20, 5); i++) {
    const id = await submit(url, BENCH_JOBS.sleepTree);
    // The tree is up when sh runs and both sleeps are its children.
    const pids = await until(
      async () => {
        const sh = await descendantsNamed(workerPid, 'sh');
        const sleeps = await descendantsNamed(workerPid, 'sleep');
        return sh.length === 1 && sleeps.length === 2 ? [...sh, ...sleeps] : undefined;
      },
      30_000,
      20,
    );
    const t0 = performance.now();
    const res = await requestCancel(url, id);
    if (!res.ok) throw new Error(`cancel answered ${res.status}: ${await res.text()}`);
    await until(
      async () => {
        for (const pid of pids) if (await isAlive(pid)) return undefined;
        return true;
      },
      30_000,
      5,
    );
    samples.push(performance.now() - t0);
    const end = await waitForEnd(url, id);
    untilCancelled.push(performance.now() - t0);
    if (end.status !== 'cancelled') throw new Error(`submission ${id} ended ${end.status}, not cancelled`);
  }
  const d = distribution(samples);
  const recorded = distribution(untilCancelled);
  const lags = untilCancelled.map((ms, i) => ms - samples[i]!);
  const lag = distribution(lags);
  return [
    {
      name: 'cancel',
      value: d.max,
      unit: 'ms max',
      detail: `p50 ${round(d.p50)} ms, max ${round(d.max)} ms, n ${d.n}; status cancelled seen after p50 ${round(recorded.p50)} ms, max ${round(recorded.max)} ms`,
      data: { ...d, samples, statusCancelled: { ...recorded, samples: untilCancelled } },
    },
    {
      name: 'cancel-status-after-dead',
      value: lag.max,
      unit: 'ms max',
      detail: `from the last PID of the tree dead to a ?wait GET answering cancelled: p50 ${round(lag.p50)} ms, max ${round(lag.max)} ms, n ${lag.n}`,
      data: { ...lag, samples: lags },
    },
  ];
}
