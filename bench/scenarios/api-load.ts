import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { submit, waitForEnd, type BenchTarget } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

// autocannon (devDependency) generates the load from its own process, so the client's CPU is not the API's.
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannon(args: string[]): Promise<AutocannonResult> {
  const child = spawn(process.execPath, [AUTOCANNON, '--json', '-n', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch {
        reject(new Error(`autocannon exited ${code}: ${err.slice(-2000)}`));
      }
    }),
  );
}

/** Waits (bounded) until no submission is active, so one load's backlog does not weigh on the next. */
async function drain(target: BenchTarget, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  const headers = { authorization: `Bearer ${target.adminToken}` };
  while (Date.now() < deadline) {
    let active = 0;
    for (const status of ['submitted', 'running']) {
      const res = await fetch(`${target.url}/api/v1/submissions?status=${status}&limit=1`, { headers });
      active += ((await res.json()) as { items: unknown[] }).items.length;
    }
    if (active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** A one-job batch through the A_A facade, as its clients post it, once it ended: its batch id. */
async function facadeBatch(url: string, job: string): Promise<string> {
  const form = new FormData();
  for (const [key, value] of Object.entries({ job, submission_name: 'load', email: '' })) form.set(key, value);
  form.set('input_data', new Blob([]), 'input.txt');
  const res = await fetch(`${url}/analytics_automated/submission/`, { method: 'POST', body: form });
  const body = (await res.json()) as { UUID?: string };
  if (res.status !== 201 || !body.UUID) throw new Error(`facade POST answered ${res.status}: ${JSON.stringify(body)}`);
  const batch = await fetch(`${url}/analytics_automated/submission/${body.UUID}`);
  const [member] = ((await batch.json()) as { submissions: { UUID: string }[] }).submissions;
  await waitForEnd(url, member!.UUID);
  return body.UUID;
}

/** GET status and POST submission at a fixed number of connections: requests per second and p99. */
export async function apiLoadScenario(ctx: BenchContext): Promise<Figure[]> {
  const { url } = ctx.target;
  const seconds = sized(ctx, 15, 5);
  const id = await submit(url, BENCH_JOBS.oneStep);
  await waitForEnd(url, id);
  const batchId = await facadeBatch(url, BENCH_JOBS.oneStep);
  const figures: Figure[] = [];
  const plans = [
    ['api-get', 'GET /api/v1/submissions/{id}', [`${url}/api/v1/submissions/${id}`]],
    [
      'api-facade-get',
      'A_A facade GET /analytics_automated/submission/{batch uuid}',
      [`${url}/analytics_automated/submission/${batchId}`],
    ],
    [
      'api-post',
      'POST /api/v1/jobs/{name}/submissions (JSON, 1-step job)',
      [
        '-m',
        'POST',
        '-H',
        'content-type=application/json',
        '-b',
        JSON.stringify({ submissionName: 'load' }),
        `${url}/api/v1/jobs/${BENCH_JOBS.oneStep}/submissions`,
      ],
    ],
  ] as const;
  for (const [name, what, args] of plans) {
    // The facade's poll at the concurrency the goal names, beside the native GET's.
    for (const connections of name === 'api-facade-get' ? [50] : [50, 200]) {
      const r = await autocannon(['-c', String(connections), '-d', String(seconds), ...args]);
      const bad = r.non2xx + r.errors + r.timeouts;
      figures.push({
        name: `${name}-c${connections}`,
        value: r.requests.average,
        unit: 'req/s',
        detail: `p50 ${round(r.latency.p50)} ms, p99 ${round(r.latency.p99)} ms, ${connections} connections for ${seconds} s, ${what}${bad ? `, ${bad} failed` : ''}`,
        data: { ...r, connections, seconds },
      });
      if (name === 'api-post' && connections === 50) await drain(ctx.target, sized(ctx, 180_000, 0));
    }
  }
  return figures;
}
