import { ConfigError, type Config } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { createLogger } from '../logger.ts';
import { SubmissionEvents } from '../submissions/submission-events.ts';
import { TemporalGateway } from '../temporal/temporal-connection.ts';
import { loadValidators } from '../validators/load-validators.ts';
import { createApp } from './create-app.ts';
import { serveApi } from './serve-api.ts';

/** Serves the API until SIGTERM/SIGINT, then closes the server, the database and Temporal. */
export async function runApi(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, 'api');
  if (!config.database.url) throw new ConfigError('DATABASE_URL is not set');
  // A broken module in VALIDATORS_DIR stops start-up here rather than failing requests later.
  const validators = await loadValidators(config);
  logger.info({ validators: [...validators.keys()] }, 'validators loaded');
  const db = createDb({
    url: config.database.url,
    poolSize: config.database.poolSize,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    // A frozen database answers 503 in bounded time instead of hanging requests.
    queryTimeoutSeconds: config.database.queryTimeoutSeconds,
    fileStoreDir: config.fileStoreDir,
  });
  const temporal = new TemporalGateway(config.temporal);
  // Connect now rather than on the first POST; if Temporal is down, requests retry and /readyz says so.
  temporal.client().catch((err: unknown) => logger.warn({ err }, 'Temporal not reachable yet'));
  const events = new SubmissionEvents(config.database.url);
  const app = createApp({ config, db, temporal, logger, events, validators });
  const server = serveApi(
    app,
    { port: config.http.port, hostname: config.http.host, maxUploadBytes: config.limits.maxUploadBytes },
    (info) => logger.info({ port: info.port }, `API listening on http://${config.http.host}:${info.port}`),
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await events.close();
  await db.destroy();
  await temporal.close();
}
