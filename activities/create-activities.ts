import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { createCrashSweepActivities } from './crash-sweep.ts';
import { createNotifyActivities } from './notify-submission-ended.ts';
import { createRunStepActivity } from './run-step.ts';
import { createBookkeepingActivities } from './submission-bookkeeping.ts';

export interface ActivityDeps {
  db: Db;
  config: Config;
}

/** Activities of the orchestrator worker: status bookkeeping and notifications. */
export function createOrchestratorActivities({ db }: ActivityDeps) {
  return { ...createBookkeepingActivities(db), ...createNotifyActivities(db), ...createCrashSweepActivities(db) };
}

/** Activities of a backend worker: running task commands. */
export function createBackendActivities(deps: ActivityDeps) {
  return { runStep: createRunStepActivity(deps) };
}
