import type { Principal } from '../auth/principal.ts';
import type { SubmittedParameters } from '../domain/parameter-values.ts';
import type { OverlapPolicy } from './schedule-schemas.ts';

/** A schedule as its owner defined it, defaults filled in. */
export interface ScheduleDefinition {
  job: string;
  parameters: SubmittedParameters;
  /** Fixed inline input, given to every run as an upload; null: no input. */
  input: { text: string; name: string } | null;
  /** A dataset (docs/datasets.md) every run takes as its input instead; null: none. */
  dataset: string | null;
  cron: string[];
  /** Seconds between runs; null: cron strings only. */
  interval: number | null;
  timeZone: string;
  overlap: OverlapPolicy;
  /** Mailed when a run does not complete. */
  notifyEmail: string | null;
}

/**
 * The argument of the workflow a schedule's Temporal Schedule starts at each due time. It carries
 * the whole definition: the Schedule itself is the only record of a schedule (docs/schedules.md).
 */
export interface ScheduledRunInput {
  scheduleId: string;
  /** Whose key created the schedule: its runs are that user's submissions. */
  owner: Principal;
  definition: ScheduleDefinition;
}

export interface ScheduledRunResult {
  submissionId: string;
  status: string;
  message: string;
}
