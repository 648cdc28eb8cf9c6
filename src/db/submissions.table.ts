import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// The allowed moves between these live in src/submissions/submission-status.ts.
export type SubmissionStatus =
  'submitted' | 'running' | 'complete' | 'error' | 'crash' | 'cancelled' | 'deleted' | 'expired';

// jsonb columns are written as plain objects: postgres.js serialises them (a JSON string would be stored as a jsonb string).
type JsonWithDefault<T> = ColumnType<T, T | undefined, T>;

export interface SubmissionsTable {
  id: string;
  batch_id: string | null;
  job_id: number | null;
  job_name: string;
  name: string;
  email: string | null;
  user_id: number | null;
  client_identity: string;
  // sha256 hex of an anonymous submission's control token (src/auth/control-token.ts); never the token.
  control_token_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  ip: string | null;
  priority: Generated<number>;
  status: Generated<SubmissionStatus>;
  last_message: Generated<string>;
  parameters: JsonWithDefault<Record<string, string | null>>;
  plan: ColumnType<unknown, object | null, object | null>;
  workflow_id: string | null;
  run_id: string | null;
  cancel_requested_by: string | null;
  cancel_requested_at: Date | null;
  email_sent_at: Date | null;
  email_claimed_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  deleted_at: Date | null;
  expired_at: Date | null;
  // An input given by URL, fetched by the first step's worker (activities/url-input.ts).
  input_url: ColumnType<string | null, string | null | undefined, string | null>;
  // The submission asked for the step cache for every step (docs/step-cache.md).
  use_cache: Generated<boolean>;
  // The submission this one re-runs, if any.
  rerun_of: ColumnType<string | null, string | null | undefined, string | null>;
}
export type Submission = Selectable<SubmissionsTable>;
export type NewSubmission = Insertable<SubmissionsTable>;
export type SubmissionUpdate = Updateable<SubmissionsTable>;
