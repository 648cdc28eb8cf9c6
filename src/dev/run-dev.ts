import path from 'node:path';
import exitHook from 'async-exit-hook';
import { API_NODE_FLAGS } from '../cli/node-flags.ts';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureBackend } from './seed-dev-data.ts';
import { spawnAa, stopAll, type Supervised } from './child-processes.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres.ts';
import { isPortOpen } from './free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from './temporal-dev-server.ts';

/**
 * The whole system on one machine: PostgreSQL (DATABASE_URL or an embedded one), the Temporal dev
 * server with its UI (unless TEMPORAL_ADDRESS), migrations, the API and the workers. Ctrl-C stops
 * everything it started.
 */
export async function runDev(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env);
  const say = (line: string) => console.log(`[aa dev] ${line}`);
  const started: { postgres?: RunningPostgres; temporal?: RunningTemporal; children: Supervised[] } = { children: [] };
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await stopAll(started.children);
    await started.temporal?.stop();
    await started.postgres?.stop();
    say('stopped');
  };
  // embedded-postgres exits the process on SIGINT/SIGTERM through async-exit-hook once its hooks
  // finish; registering ours there too makes that exit wait until everything we started is stopped.
  const stopped = new Promise<void>((resolve) => {
    exitHook((done) => void stop().then(resolve).finally(done));
  });

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      say(
        `starting embedded PostgreSQL on port ${config.dev.postgresPort} (data in ${path.join(config.dataDir, 'postgres')})`,
      );
      started.postgres = await startEmbeddedPostgres(
        path.join(config.dataDir, 'postgres'),
        config.dev.postgresPort,
        say,
      );
      databaseUrl = started.postgres.url;
    }
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
      });
      temporalAddress = started.temporal.address;
      uiUrl = started.temporal.uiUrl;
    }

    const db = createDb({ url: databaseUrl, poolSize: 2 });
    let backends: string[];
    try {
      await migrateToLatest(db, say);
      await ensureBackend(db, 'local');
      backends = (await db.selectFrom('backends').select('name').orderBy('name').execute()).map((b) => b.name);
    } finally {
      await db.destroy();
    }

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
        if (!stopping) {
          say(`${name} exited with code ${code}; stopping the rest`);
          void stop().then(() => process.exit(1));
        }
      });
    }

    const api = `http://localhost:${config.http.port}`;
    say(`API          ${api}/api/v1`);
    say(`API docs     ${api}/docs`);
    say(`Readiness    ${api}/readyz`);
    if (uiUrl) say(`Temporal UI  ${uiUrl}`);
    say(`Workers      orchestrator; backends: ${backends.join(', ')}`);
    say('Press Ctrl-C to stop everything.');
    await stopped;
    return 0;
  } catch (err) {
    await stop();
    throw err;
  }
}
