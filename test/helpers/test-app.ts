import { createApp } from '../../src/api/create-app.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/create-db.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { SubmissionEvents } from '../../src/submissions/submission-events.ts';
import type { ValidatorRegistry } from '../../src/validators/validator.ts';
import { TemporalGateway } from '../../src/temporal/temporal-connection.ts';
import { testConfig, testDb } from './test-stack.ts';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  config: Config;
  db: Db;
  temporal: TemporalGateway;
  close: () => Promise<void>;
}

/** The real app over the test database and Temporal server, called in-process with app.request(). */
export async function createTestApp(
  overrides: Record<string, string> = {},
  validators?: ValidatorRegistry,
  logger: Logger = createLogger('silent', 'test-api'),
): Promise<TestApp> {
  const config = testConfig(overrides);
  const db = testDb(config);
  const temporal = new TemporalGateway(config.temporal);
  const events = new SubmissionEvents(config.database.url!);
  const app = createApp({ config, db, temporal, events, validators, logger });
  return {
    app,
    config,
    db,
    temporal,
    close: async () => {
      await temporal.close();
      await events.close();
      await db.destroy();
    },
  };
}

/** Response bodies in tests are checked by assertions, so they are read untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
