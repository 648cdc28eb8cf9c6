import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { bundleWorkflowCode } from '@temporalio/worker';
import { API_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/dev/embedded-postgres.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { devServerArgs, findTemporalBinary } from '../../src/dev/temporal-dev-server.ts';
import { CLI_ENTRY, PROJECT_ROOT, WORKFLOWS_PATH } from '../../src/project-paths.ts';
import { Supervisor } from './supervisor.ts';

export const SOAK_DIR = path.join(PROJECT_ROOT, '.data', 'soak-run');

export interface SoakStack {
  url: string;
  adminToken: string;
  backend: string;
  /** A connection to the soak's own database, to count what the API stored. */
  sql: postgres.Sql;
  parts: Supervisor[];
  stop: () => Promise<void>;
}

/**
 * The product as separate processes, each under its own restart loop: the Temporal dev server (on a
 * SQLite file, so it keeps its workflows across kills), `aa api`, `aa worker --orchestrator` and
 * `aa worker --backend soak`. PostgreSQL (DATABASE_URL's server or an embedded one) is not killed.
 */
export async function startSoakStack(env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<SoakStack> {
  await rm(SOAK_DIR, { recursive: true, force: true });
  await mkdir(SOAK_DIR, { recursive: true });
  let embedded: RunningPostgres | undefined;
  let admin: postgres.Sql | undefined;
  let sql: postgres.Sql | undefined;
  const parts: Supervisor[] = [];
  const dbName = `aa_soak_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const stop = async () => {
    await Promise.all(parts.map((p) => p.stop()));
    await sql?.end();
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
      embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'soak-postgres'), await freePort(), say);
      serverUrl = embedded.url;
    }
    admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const db = createDb({ url: url.toString(), poolSize: 1 });
    await migrateToLatest(db);
    await db.destroy();
    sql = postgres(url.toString(), { max: 2, onnotice: () => {} });

    // Bundled once, so a restarted orchestrator is back in about a second instead of rerunning webpack.
    const bundlePath = path.join(SOAK_DIR, 'workflow-bundle.js');
    await writeFile(bundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })).code);

    const temporalPort = await freePort();
    const apiPort = await freePort();
    const adminToken = randomBytes(24).toString('hex');
    const childEnv: NodeJS.ProcessEnv = {
      PATH: env.PATH,
      HOME: env.HOME,
      DATABASE_URL: url.toString(),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      ADMIN_TOKEN: adminToken,
      PORT: String(apiPort),
      DATA_DIR: SOAK_DIR,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      LOG_LEVEL: 'warn',
    };
    const part = (name: string, command: string, args: string[]) =>
      new Supervisor({
        name,
        command,
        args,
        env: childEnv,
        logFile: path.join(SOAK_DIR, `${name}.log`),
        restartDelayMs: 1000,
      });
    const aa = (name: string, args: string[], flags: string[] = []) =>
      part(name, process.execPath, [...flags, CLI_ENTRY, ...args]);
    const temporal = part(
      'temporal',
      findTemporalBinary(),
      devServerArgs({ port: temporalPort, uiPort: null, dbFile: path.join(SOAK_DIR, 'temporal.sqlite') }),
    );
    parts.push(temporal);
    temporal.start();
    const api = aa('api', ['api'], API_NODE_FLAGS);
    parts.push(api);
    api.start();
    const target = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${target}/readyz`, 60_000);
    const backend = 'soak';
    await adminPut(target, adminToken, `/api/v1/backends/${backend}`, { description: 'soak test' });
    for (const [name, args] of [
      ['orchestrator', ['worker', '--orchestrator']],
      ['backend', ['worker', '--backend', backend]],
    ] as const) {
      const worker = aa(name, [...args]);
      parts.push(worker);
      worker.start();
    }
    say(`database ${dbName}, API on ${target}, logs in ${path.relative(PROJECT_ROOT, SOAK_DIR)}/`);
    return { url: target, adminToken, backend, sql, parts, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

export async function adminPut(url: string, token: string, route: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${route}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${route} answered ${res.status}: ${await res.text()}`);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (see ${SOAK_DIR}/api.log)`);
}
