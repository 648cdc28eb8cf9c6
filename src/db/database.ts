import type { ApiKeysTable } from './api-keys.table.ts';
import type { BackendsTable } from './backends.table.ts';
import type { BatchesTable } from './batches.table.ts';
import type { BlobChunksTable } from './blob-chunks.table.ts';
import type { BlobsTable } from './blobs.table.ts';
import type { IdempotencyKeysTable } from './idempotency-keys.table.ts';
import type { JobStepsTable } from './job-steps.table.ts';
import type { JobValidatorsTable } from './job-validators.table.ts';
import type { JobsTable } from './jobs.table.ts';
import type { StepRunsTable } from './step-runs.table.ts';
import type { StoredFilesTable } from './stored-files.table.ts';
import type { SubmissionMessagesTable } from './submission-messages.table.ts';
import type { SubmissionsTable } from './submissions.table.ts';
import type { TaskConfigurationsTable } from './task-configurations.table.ts';
import type { TaskEnvironmentTable } from './task-environment.table.ts';
import type { TaskParametersTable } from './task-parameters.table.ts';
import type { TasksTable } from './tasks.table.ts';
import type { UsersTable } from './users.table.ts';

export interface Database {
  backends: BackendsTable;
  tasks: TasksTable;
  task_parameters: TaskParametersTable;
  task_environment: TaskEnvironmentTable;
  task_configurations: TaskConfigurationsTable;
  jobs: JobsTable;
  job_steps: JobStepsTable;
  job_validators: JobValidatorsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  batches: BatchesTable;
  submissions: SubmissionsTable;
  step_runs: StepRunsTable;
  submission_messages: SubmissionMessagesTable;
  stored_files: StoredFilesTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  idempotency_keys: IdempotencyKeysTable;
}
