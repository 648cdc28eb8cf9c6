import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import type { Logger } from '../logger.ts';
import type { SubmissionEvents } from '../submissions/submission-events.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import type { JobDefinitionReader } from '../submissions/job-definition-cache.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: TemporalGateway;
  logger: Logger;
  /** Wakes `?wait` requests on changes; without it they poll. */
  events?: SubmissionEvents;
  validators?: ValidatorRegistry;
  /** Job definitions for submitting, kept current by `events` (createApp sets it). */
  jobDefinitions?: JobDefinitionReader | undefined;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | null;
  };
}
