import { closedLoop, timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { cpuDuring, cpuPerJob } from '../bench-processes.ts';
import { cpuFigure, distribution, msDetail, round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

// As the A_A clients poll (and as issue 19 measured A_A itself): a status GET every 20 ms.
const POLL_MS = 20;
export const FACADE_IN_FLIGHT = 16;
const AA_TERMINAL = new Set(['Complete', 'Error', 'Crash']);
const JSON_ACCEPT = { accept: 'application/json' };

/**
 * One job through A_A's wire format (reference/aa-behaviour.md §2.1-2.2): a multipart POST to
 * /analytics_automated/submission/ with an empty input file, then GET the batch every 20 ms until
 * its state is terminal. Returns the milliseconds from POST to terminal state and the GETs it took.
 */
async function facadeRun(url: string, job: string): Promise<{ ms: number; gets: number; state: string }> {
  const t0 = performance.now();
  const form = new FormData();
  form.set('job', job);
  form.set('submission_name', 'bench');
  form.set('email', 'bench@example.org');
  form.set('input_data', new Blob([]), 'input.txt');
  const res = await fetch(`${url}/analytics_automated/submission/`, {
    method: 'POST',
    body: form,
    headers: JSON_ACCEPT,
  });
  const body = (await res.json()) as { UUID?: string };
  if (res.status !== 201 || !body.UUID) throw new Error(`facade POST answered ${res.status}: ${JSON.stringify(body)}`);
  for (let gets = 1; ; gets++) {
    const poll = await fetch(`${url}/analytics_automated/submission/${body.UUID}`, { headers: JSON_ACCEPT });
    const { state } = (await poll.json()) as { state?: string };
    if (!poll.ok || !state) throw new Error(`facade GET answered ${poll.status}`);
    if (AA_TERMINAL.has(state)) return { ms: performance.now() - t0, gets, state };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * The trivial 1-step job through the A_A facade, the way A_A's own clients drive it: latency one at
 * a time and throughput 16 in flight, with status GETs per job and CPU per job; and our native path
 * (JSON POST, long-polled GET) at the same 16 in flight, for the ratio facade/native.
 */
export async function facadeScenario(ctx: BenchContext): Promise<Figure[]> {
  const { url } = ctx.target;
  const job = BENCH_JOBS.oneStep;
  for (let i = 0; i < sized(ctx, 20, 3); i++) await facadeRun(url, job);
  const one = [];
  for (let i = 0; i < sized(ctx, 100, 10); i++) one.push(await facadeRun(url, job));
  const latency = distribution(one.map((r) => r.ms));
  const getsOne = one.reduce((sum, r) => sum + r.gets, 0) / one.length;

  const seconds = sized(ctx, 30, 5);
  const groups = await ctx.processes();
  const facade = await cpuDuring(groups, () => closedLoop(FACADE_IN_FLIGHT, seconds * 1000, () => facadeRun(url, job)));
  const native = await cpuDuring(groups, () => closedLoop(FACADE_IN_FLIGHT, seconds * 1000, () => timedRun(url, job)));
  const facadeDone = facade.result.inWindow.filter((r) => r.state === 'Complete');
  const nativeDone = native.result.inWindow.filter((r) => r.status === 'complete');
  const facadeRate = facadeDone.length / seconds;
  const facadeEnded = facade.result.all.filter((r) => r.state === 'Complete').length;
  const nativeEnded = native.result.all.filter((r) => r.status === 'complete').length;
  const nativeRate = nativeDone.length / seconds;
  const loaded = distribution(facadeDone.map((r) => r.ms));
  // NaN when nothing completed in the window: not measured, rather than 0 GETs.
  const getsLoaded = facadeDone.reduce((sum, r) => sum + r.gets, 0) / facadeDone.length;
  const nativeLatency = ctx.figures.get('latency');

  const figures: Figure[] = [
    {
      name: 'facade-latency',
      value: latency.p50,
      unit: 'ms',
      detail: `${msDetail(latency)}, one at a time, ${round(getsOne)} status GETs per job (every ${POLL_MS} ms)`,
      data: { ...latency, getsPerJob: getsOne, samples: one.map((r) => r.ms) },
    },
    {
      name: `facade-throughput`,
      value: facadeRate,
      unit: 'jobs/s',
      detail: `latency ${msDetail(loaded)}, ${FACADE_IN_FLIGHT} in flight for ${seconds} s, ${round(getsLoaded)} status GETs per job${facade.result.failures ? `, ${facade.result.failures} failed` : ''}`,
      data: {
        ...loaded,
        seconds,
        completed: facadeDone.length,
        getsPerJob: getsLoaded,
        failures: facade.result.failures,
      },
    },
    cpuFigure('facade-cpu', cpuPerJob(facade.cpuMs, facadeEnded), `A_A wire format at ${FACADE_IN_FLIGHT}`),
    {
      name: `native-throughput-${FACADE_IN_FLIGHT}`,
      value: nativeRate,
      unit: 'jobs/s',
      detail: `native JSON POST and ?wait GET, ${FACADE_IN_FLIGHT} in flight for ${seconds} s, right after the facade's window`,
      data: { seconds, completed: nativeDone.length, failures: native.result.failures },
    },
    cpuFigure('native-cpu-16', cpuPerJob(native.cpuMs, nativeEnded), `native at ${FACADE_IN_FLIGHT}`),
    {
      name: 'facade-throughput-ratio',
      value: facadeRate / nativeRate,
      unit: 'x',
      detail: `facade/native jobs/s at ${FACADE_IN_FLIGHT} in flight: ${round(facadeRate)} / ${round(nativeRate)}`,
    },
  ];
  if (nativeLatency) {
    figures.push({
      name: 'facade-latency-ratio',
      value: latency.p50 / nativeLatency.value,
      unit: 'x',
      detail: `facade/native p50 one at a time: ${round(latency.p50)} ms / ${round(nativeLatency.value)} ms`,
    });
  }
  return figures;
}
