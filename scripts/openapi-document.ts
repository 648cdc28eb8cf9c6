import { createApp } from '../src/api/create-app.ts';
import { loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/create-db.ts';
import { createLogger } from '../src/logger.ts';
import { TemporalGateway } from '../src/temporal/temporal-connection.ts';

// Addresses that are never dialled: the database pool and the Temporal gateway connect on first use,
// and serving /openapi.json uses neither.
const UNUSED_ENV = { DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused', TEMPORAL_ADDRESS: '127.0.0.1:1' };

/** The document the API serves at /openapi.json, rendered in-process without a database or Temporal. */
export async function renderOpenApiDocument(): Promise<unknown> {
  const config = loadConfig(UNUSED_ENV);
  const db = createDb({ url: config.database.url! });
  const temporal = new TemporalGateway(config.temporal);
  try {
    const app = createApp({ config, db, temporal, logger: createLogger('silent', 'openapi-document') });
    const res = await app.request('/openapi.json');
    if (!res.ok) throw new Error(`/openapi.json answered ${res.status}`);
    return await res.json();
  } finally {
    await temporal.close();
    await db.destroy();
  }
}
