import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_NODE_FLAGS } from '../cli/node-flags.ts';
import { devSettingsPath, loadConfig } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureBackend } from './seed-dev-data.ts';
import { spawnAa, stopAll, type Supervised } from './child-processes.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { isPortOpen } from './free-port.ts';
import { onShutdownSignal } from './shutdown-signals.ts';
import { startTemporalDevServer, type RunningTemporal } from './temporal-dev-server.ts';

class Interrupted extends Error {}

/**
 * The whole system on one machine: PostgreSQL (DATABASE_URL or an embedded one), the Temporal dev
 * server with its UI (unless TEMPORAL_ADDRESS), migrations, the API and the workers. While it runs,
 * DATA_DIR/dev.env tells `aa` in another terminal where the database and API are. Ctrl-C stops the
 * API and workers, then Temporal, then PostgreSQL, and returns once every one has exited.
 */
export async function runDev(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env);
  const say = (line: string) => console.log(`[aa dev] ${line}`);
  const settingsFile = devSettingsPath(config.dataDir);
  const started: { postgres?: RunningPostgres; temporal?: RunningTemporal; children: Supervised[] } = { children: [] };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      say('stopping…');
      await rm(settingsFile, { force: true });
      await stopAll(started.children);
      await started.temporal?.stop();
      await started.postgres?.stop();
      say('stopped');
    })());

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let signalled: number | undefined;
  onShutdownSignal(
    (code) => {
      signalled = code;
      finish(code);
    },
    () => say('still stopping: waiting for every process to exit'),
  );
  // Start-up steps are not interrupted midway: whatever one starts is stopped with the rest.
  const unlessSignalled = () => {
    if (signalled !== undefined) throw new Interrupted();
  };

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const dir = path.join(config.dataDir, 'postgres');
      say(`starting embedded PostgreSQL on port ${config.dev.postgresPort} (data in ${dir})`);
      started.postgres = await startEmbeddedPostgres(dir, config.dev.postgresPort, say);
      databaseUrl = started.postgres.url;
    }
    unlessSignalled();
    let temporalAddress = config.temporal.address;
    let uiUrl = config.temporal.uiUrl ?? null;
    if (!temporalAddress) {
      if (await isPortOpen(config.dev.temporalPort))
        throw new Error(`port ${config.dev.temporalPort} is taken: set TEMPORAL_ADDRESS to use that server`);
      say('starting the Temporal dev server');
      started.temporal = await startTemporalDevServer({
        port: config.dev.temporalPort,
        uiPort: config.dev.temporalUiPort,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        ownProcessGroup: true,
      });
      temporalAddress = started.temporal.address;
      uiUrl = started.temporal.uiUrl;
    }
    unlessSignalled();

    const db = createDb({ url: databaseUrl, poolSize: 2 });
    let backends: string[];
    try {
      await migrateToLatest(db, say);
      await ensureBackend(db, 'local');
      backends = (await db.selectFrom('backends').select('name').orderBy('name').execute()).map((b) => b.name);
    } finally {
      await db.destroy();
    }
    unlessSignalled();

    const childEnv = {
      ...env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    };
    started.children.push(spawnAa('api', ['api'], childEnv, API_NODE_FLAGS));
    started.children.push(spawnAa('orchestrator', ['worker', '--orchestrator'], childEnv));
    started.children.push(spawnAa('backends', ['worker', ...backends.flatMap((b) => ['--backend', b])], childEnv));
    for (const { name, exited } of started.children) {
      void exited.then((code) => {
        if (stopping || signalled !== undefined) return;
        say(`${name} exited with code ${code}; stopping the rest`);
        finish(1);
      });
    }

    const api = `http://localhost:${config.http.port}`;
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(settingsFile, `DATABASE_URL=${databaseUrl}\nAA_URL=${api}\n`, { mode: 0o600 });
    say(`Web pages    ${api}/`);
    say(`API          ${api}/api/v1`);
    say(`API docs     ${api}/docs`);
    say(`Readiness    ${api}/readyz`);
    if (uiUrl) say(`Temporal UI  ${uiUrl}`);
    if (started.postgres) say(`Database     DATABASE_URL=${databaseUrl}`);
    say(`Workers      orchestrator; backends: ${backends.join(', ')}`);
    say(`aa in another terminal here finds DATABASE_URL and AA_URL in ${settingsFile}`);
    say('Press Ctrl-C to stop everything.');
    const code = await finished;
    await stop();
    return code;
  } catch (err) {
    await stop();
    if (err instanceof Interrupted) return signalled!;
    throw err;
  }
}
