import type { Config } from '../config.ts';
import type { Role } from '../db/api-keys.table.ts';
import type { Db } from '../db/create-db.ts';
import type { Logger } from '../logger.ts';
import type { SubmissionEvents } from '../submissions/submission-events.ts';
import type { ValidatorRegistry } from '../submissions/prepare-submission.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
  /** Wakes `?wait` requests on changes; without it they poll. */
  events?: SubmissionEvents;
  validators?: ValidatorRegistry;
}

/** Who is calling: set by the auth middleware from an API key or ADMIN_TOKEN; null when anonymous. */
export interface Principal {
  userId: number | null;
  name: string;
  role: Role;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | null;
  };
}
