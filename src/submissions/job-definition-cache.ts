import type { Db } from '../db/create-db.ts';
import { NotifiedCache } from './notified-cache.ts';
import type { SubmissionEvents } from './submission-events.ts';
import { loadJobDefinition, type JobDefinition } from './job-definition-repository.ts';

/** Reads a job's definition by name; undefined when there is no such job. */
export type JobDefinitionReader = (jobName: string) => Promise<JobDefinition | undefined>;

// Far more jobs than a service configures; a definition is a few kB.
const MAX_JOBS = 1000;

/**
 * Job definitions kept in memory between submissions: every POST needs its job's steps, tasks,
 * parameters and validators (six queries), and they change only when the catalogue does, which
 * PostgreSQL announces (see notified-cache.ts). Kept values are frozen, so no caller can change
 * what the next submission reads.
 */
export function cachedJobDefinitions(db: Db, events: SubmissionEvents): JobDefinitionReader {
  const cache = new NotifiedCache<JobDefinition>(events, {
    maxEntries: MAX_JOBS,
    keyedBySubmission: false,
    onCatalogueChange: true,
  });
  return (jobName) => cache.get(jobName, async () => deepFreeze(await loadJobDefinition(db, jobName)));
}

/** The reader the deps carry, else straight from the database (schedules, the CLI, tests without events). */
export function jobDefinitionsOf(deps: { db: Db; jobDefinitions?: JobDefinitionReader | undefined }) {
  return deps.jobDefinitions ?? ((jobName: string) => loadJobDefinition(deps.db, jobName));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
