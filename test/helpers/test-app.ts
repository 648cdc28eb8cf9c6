import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/create-app.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/create-db.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createTemporalClient } from '../../src/temporal/temporal-connection.ts';
import { testConfig, testDb } from './test-stack.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  db: Db;
  temporal: Client;
  close: () => Promise<void>;
}

/** The real app over the test database and Temporal server, called in-process with app.request(). */
export async function createTestApp(
  overrides: Record<string, string> = {},
  logger: Logger = createLogger('silent', 'test-api'),
): Promise<TestApp> {
  const config = testConfig(overrides);
  const db = testDb(config);
  const temporal = await createTemporalClient(config.temporal);
  const app = createApp({ config, db, temporal, logger });
  return {
    app,
    config,
    db,
    temporal,
    close: async () => {
      await temporal.connection.close();
      await db.destroy();
    },
  };
}

/** Response bodies in tests are checked by assertions, so they are read untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
