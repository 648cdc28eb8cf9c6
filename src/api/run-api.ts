import { serve } from '@hono/node-server';
import { ConfigError, type Config } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { createLogger } from '../logger.ts';
import { createTemporalClient } from '../temporal/temporal-connection.ts';
import { createApp } from './create-app.ts';

/** Serves the API until SIGTERM/SIGINT, then closes the server, the database and Temporal. */
export async function runApi(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, 'api');
  if (!config.database.url) throw new ConfigError('DATABASE_URL is not set');
  const db = createDb({ url: config.database.url, poolSize: config.database.poolSize, connectTimeoutSeconds: config.database.connectTimeoutSeconds });
  const temporal = await createTemporalClient(config.temporal);
  const app = createApp({ config, db, temporal, logger });
  const server = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, (info) =>
    logger.info({ port: info.port }, `API listening on http://${config.http.host}:${info.port}`),
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await db.destroy();
  await temporal.connection.close();
}
