import type { Client } from '@temporalio/client';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import type { Logger } from '../logger.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
}

export interface AppEnv {
  Variables: {
    requestId: string;
  };
}
