import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { API_NODE_FLAGS } from '../src/cli/node-flags.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/dev/embedded-postgres.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from '../src/dev/temporal-dev-server.ts';
import { PROJECT_ROOT } from '../src/project-paths.ts';
import { adminPut, type BenchTarget } from './bench-client.ts';
import { spawnAaLogged, type BenchProcess } from './bench-processes.ts';

export const RUN_DIR = path.join(PROJECT_ROOT, '.data', 'bench-run');

export interface BenchStack extends BenchTarget {
  backend: string;
  temporalAddress: string | undefined;
  databaseUrl: string | undefined;
  pids: { api?: number; orchestrator?: number; backend?: number };
  processes: () => Promise<Record<string, number[]>>;
  startBackend: (backend: string, concurrency: number) => Promise<{ pid: number; stop: () => Promise<void> }>;
  /** Versions for BENCHMARKS.md. */
  postgresVersion: string | undefined;
  stop: () => Promise<void>;
}

const say = (line: string) => console.log(`[bench] ${line}`);

/**
 * The whole product on this machine, as separate processes: its own database (on DATABASE_URL's
 * server, else an embedded PostgreSQL), its own Temporal dev server (SQLite file with WAL and
 * synchronous=OFF), `aa api`, `aa worker --orchestrator` and `aa worker --backend bench`.
 */
export async function startBenchStack(
  env: NodeJS.ProcessEnv,
  options: { cpuProfile?: boolean } = {},
): Promise<BenchStack> {
  await rm(RUN_DIR, { recursive: true, force: true });
  await mkdir(RUN_DIR, { recursive: true });
  let embedded: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let admin: postgres.Sql | undefined;
  const children: BenchProcess[] = [];
  const dbName = `aa_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const stop = async () => {
    // The runs still going (the API scenario's backlog) do not matter any more; a profile needs a clean exit.
    await Promise.all(children.map((c) => c.stop(options.cpuProfile ? 15_000 : 3000)));
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
      embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'bench-postgres'), await freePort(), say);
      serverUrl = embedded.url;
    }
    admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    const [{ server_version: postgresVersion }] = (await admin`show server_version`) as unknown as [
      { server_version: string },
    ];
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const databaseUrl = url.toString();
    const db = createDb({ url: databaseUrl, poolSize: 1 });
    await migrateToLatest(db);
    await db.destroy();

    temporal = await startTemporalDevServer({
      port: await freePort(),
      uiPort: null,
      dbFile: path.join(RUN_DIR, 'temporal.sqlite'),
    });
    say(`database ${dbName}, Temporal dev server on ${temporal.address}`);

    const port = await freePort();
    const adminToken = randomBytes(24).toString('hex');
    const childEnv: NodeJS.ProcessEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      ADMIN_TOKEN: adminToken,
      PORT: String(port),
      DATA_DIR: RUN_DIR,
      LOG_LEVEL: 'warn',
    };
    const log = (name: string) => path.join(RUN_DIR, `${name}.log`);
    // --profile: each aa process writes a V8 CPU profile when it stops.
    const prof = (name: string) =>
      options.cpuProfile
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RUN_DIR, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`]
        : [];
    const api = spawnAaLogged('api', ['api'], childEnv, log('api'), [...API_NODE_FLAGS, ...prof('api')]);
    children.push(api);
    const target = { url: `http://127.0.0.1:${port}`, adminToken };
    await waitForHttp(`${target.url}/readyz`, 30_000);
    const backend = 'bench';
    await adminPut(target, `/api/v1/backends/${backend}`, { description: 'benchmarks' });
    const orchestrator = spawnAaLogged(
      'orchestrator',
      ['worker', '--orchestrator'],
      childEnv,
      log('orchestrator'),
      prof('orchestrator'),
    );
    const backendWorker = spawnAaLogged(
      'backend',
      ['worker', '--backend', backend],
      childEnv,
      log('backend'),
      prof('backend'),
    );
    children.push(orchestrator, backendWorker);
    say(`API on ${target.url}; logs in ${path.relative(PROJECT_ROOT, RUN_DIR)}/`);
    const pids = { api: api.child.pid, orchestrator: orchestrator.child.pid, backend: backendWorker.child.pid };
    const processes = async () => {
      const rows = await admin!<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName}`;
      const postgresPids = url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? rows.map((r) => r.pid) : [];
      return {
        api: [pids.api!],
        orchestrator: [pids.orchestrator!],
        backend: [pids.backend!],
        temporal: [temporal!.pid],
        postgres: postgresPids,
      };
    };
    const startBackend = async (name: string, concurrency: number) => {
      const extra = spawnAaLogged(
        `backend-${name}`,
        ['worker', '--backend', name, '--concurrency', String(concurrency)],
        childEnv,
        log(`backend-${name}`),
      );
      children.push(extra);
      return { pid: extra.child.pid!, stop: () => extra.stop(3000) };
    };
    return {
      ...target,
      backend,
      processes,
      startBackend,
      temporalAddress: temporal.address,
      databaseUrl,
      pids,
      postgresVersion,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (see ${RUN_DIR}/api.log)`);
}
