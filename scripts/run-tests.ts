// `npm test`: gives jest a throw-away PostgreSQL database and a Temporal dev server, then cleans up.
// DATABASE_URL / TEMPORAL_ADDRESS point at servers to reuse; without them real ones are started here.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import postgres from 'postgres';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/dev/embedded-postgres.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from '../src/dev/temporal-dev-server.ts';
import { PROJECT_ROOT, WORKFLOWS_PATH } from '../src/project-paths.ts';

const runDir = path.join(PROJECT_ROOT, '.data', 'test-run');
const say = (line: string) => console.log(`[test] ${line}`);

async function main(): Promise<number> {
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  let embedded: RunningPostgres | undefined;
  let temporal: RunningTemporal | undefined;
  let serverUrl = process.env.DATABASE_URL;
  const dbName = `aa_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  let admin: postgres.Sql | undefined;
  try {
    if (!serverUrl) {
      say('DATABASE_URL not set: starting an embedded PostgreSQL');
      embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'test-postgres'), await freePort(), say);
      serverUrl = embedded.url;
    }
    admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    const databaseUrl = url.toString();
    const db = createDb({ url: databaseUrl, poolSize: 1 });
    await migrateToLatest(db);
    await db.destroy();
    say(`database ${dbName} migrated`);

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      temporal = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: null });
      temporalAddress = temporal.address;
      say(`Temporal dev server on ${temporalAddress}`);
    }
    const bundlePath = path.join(runDir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
    await writeFile(bundlePath, code);

    const resultsFile = path.join(runDir, 'jest-results.json');
    const exitCode = await runJest(process.argv.slice(2), resultsFile, {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      AA_TEST_SERVER_DATABASE_URL: serverUrl,
      AA_TEST_WORKFLOW_BUNDLE: bundlePath,
      AA_TEST_TEMPORAL_PID: temporal ? String(temporal.pid) : '',
      // Stored bytes of this run only, removed with it; a test that needs its own store says so.
      FILE_STORE_DIR: process.env.FILE_STORE_DIR ?? path.join(runDir, 'files'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    const summary = await readFile(resultsFile, 'utf8').then(JSON.parse, () => null);
    const passed = summary?.numPassedTests ?? 0;
    const failed = (summary?.numFailedTests ?? 0) + (summary?.numRuntimeErrorTestSuites ?? 0);
    console.log(`${passed} passed, ${failed} failed`);
    return exitCode === 0 && failed === 0 && summary ? 0 : 1;
  } finally {
    await temporal?.stop();
    if (admin) {
      await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
    await embedded?.stop();
  }
}

function runJest(args: string[], resultsFile: string, env: NodeJS.ProcessEnv): Promise<number> {
  const jestBin = path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      jestBin,
      '--json',
      // A handle a test left open must not keep CI waiting for its 90 minutes after the results are in.
      '--forceExit',
      `--outputFile=${resultsFile}`,
      ...args,
    ],
    { env, stdio: 'inherit', cwd: PROJECT_ROOT },
  );
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
