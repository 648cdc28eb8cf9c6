import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { spawnAaLogged, type BenchProcess } from '../bench/bench-processes.ts';
import { API_NODE_FLAGS } from '../src/cli/node-flags.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/dev/embedded-postgres.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from '../src/dev/temporal-dev-server.ts';
import { PROJECT_ROOT } from '../src/project-paths.ts';

export const FUZZ_DIR = path.join(PROJECT_ROOT, '.data', 'fuzz-run');
/** Sorts first, so `GET /api/v1/jobs` lists it at index 0 (the OpenAPI link to POST submissions uses that). */
export const FUZZ_JOB = '0-fuzz-job';
const FUZZ_BACKEND = '0-fuzz';

export interface FuzzStack {
  url: string;
  adminToken: string;
  stop: () => Promise<void>;
}

const say = (line: string) => console.log(`[fuzz] ${line}`);

/**
 * The real product for the fuzzer, as the tests run it: a throw-away database (on DATABASE_URL's server,
 * else an embedded PostgreSQL), a Temporal dev server in memory, `aa api` with an admin token, and the
 * orchestrator and backend workers, with one job whose one task does nothing (`true`).
 */
export async function startFuzzStack(env: NodeJS.ProcessEnv): Promise<FuzzStack> {
  await rm(FUZZ_DIR, { recursive: true, force: true });
  await mkdir(FUZZ_DIR, { recursive: true });
  let embedded: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let admin: postgres.Sql | undefined;
  const children: BenchProcess[] = [];
  const dbName = `aa_fuzz_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let reseeding: NodeJS.Timeout | undefined;
  const stop = async () => {
    clearInterval(reseeding);
    await Promise.all(children.map((c) => c.stop(5000)));
    await temporal?.stop();
    if (admin) {
      await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
    await embedded?.stop();
  };
  try {
    let serverUrl = env.DATABASE_URL;
    if (!serverUrl) {
      say('DATABASE_URL not set: starting an embedded PostgreSQL');
      embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'fuzz-postgres'), await freePort(), say);
      serverUrl = embedded.url;
    }
    admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const db = createDb({ url: url.toString(), poolSize: 1 });
    await migrateToLatest(db);
    await db.destroy();
    temporal = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: null });

    const port = await freePort();
    const adminToken = randomBytes(24).toString('hex');
    const childEnv: NodeJS.ProcessEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      DATABASE_URL: url.toString(),
      TEMPORAL_ADDRESS: temporal.address,
      ADMIN_TOKEN: adminToken,
      PORT: String(port),
      DATA_DIR: FUZZ_DIR,
      // Fuzzed uploads stay small, so thousands of cases do not fill the disk.
      MAX_UPLOAD_BYTES: String(1024 * 1024),
      LOG_LEVEL: 'warn',
    };
    const log = (name: string) => path.join(FUZZ_DIR, `${name}.log`);
    children.push(spawnAaLogged('api', ['api'], childEnv, log('api'), API_NODE_FLAGS));
    const stack = { url: `http://127.0.0.1:${port}`, adminToken, stop };
    await waitForHttp(`${stack.url}/readyz`, 30_000);
    await seed(stack);
    children.push(spawnAaLogged('orchestrator', ['worker', '--orchestrator'], childEnv, log('orchestrator')));
    children.push(spawnAaLogged('backend', ['worker', '--backend', FUZZ_BACKEND], childEnv, log('backend')));
    // The fuzzer deletes and replaces configuration too (PUT /api/v1/config?mode=replace): put the job back.
    reseeding = setInterval(() => void seed(stack).catch(() => {}), 2000);
    say(`API on ${stack.url}, database ${dbName}, Temporal on ${temporal.address}; logs in .data/fuzz-run/`);
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

async function seed(stack: Pick<FuzzStack, 'url' | 'adminToken'>): Promise<void> {
  const put = async (route: string, body: unknown) => {
    const res = await fetch(`${stack.url}/api/v1/${route}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT ${route}: ${res.status} ${await res.text()}`);
  };
  await put(`backends/${FUZZ_BACKEND}`, { description: 'runs the fuzzer’s submissions' });
  await put('tasks/0-fuzz-true', { backend: FUZZ_BACKEND, executable: 'true', description: 'does nothing' });
  await put(`jobs/${FUZZ_JOB}`, { steps: [{ task: '0-fuzz-true', ordering: 0 }] });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (see .data/fuzz-run/api.log)`);
}
