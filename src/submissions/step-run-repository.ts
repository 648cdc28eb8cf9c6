import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { StepRunUpdate, StepStatus } from '../db/step-runs.table.ts';
import type { PlannedStep } from '../domain/execution-plan.ts';
import { submissionChangedNotice } from './submission-events.ts';

/** Marks a step's attempt as running; one row per step, so a retry updates rather than duplicates. */
export async function markStepRunning(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  attempt: number,
  host: string,
  scheduledAt: Date | null = null,
): Promise<void> {
  await upsertStepRow(db, submissionId, step, {
    status: 'running',
    attempt,
    host,
    exit_code: null,
    message: `Running attempt ${attempt}`,
    started_at: sql<Date>`now()`,
    finished_at: null,
  });
}

/** A step's end; with its cache key when it ran its command (useStepCache), in the same statement. */
export async function markStepEnded(
  db: Db,
  submissionId: string,
  stepIndex: number,
  status: StepStatus,
  exitCode: number | null,
  message: string,
  cacheKey?: string,
): Promise<void> {
  const keyed = cacheKey === undefined ? {} : { cache_key: cacheKey, cached_from: null };
  await db
    .with('changed', (q) =>
      q
        .updateTable('step_runs')
        .set({ status, exit_code: exitCode, message, finished_at: sql<Date>`now()`, ...keyed })
        .where('submission_id', '=', submissionId)
        .where('step_index', '=', stepIndex),
    )
    .selectNoFrom(submissionChangedNotice(submissionId))
    .execute();
}

/**
 * What a running step is doing now (e.g. its Slurm job waiting for a node), with the scheduler's id
 * for it: shown as the step's message, and kept in the submission's messages once the step is over.
 */
export async function markStepProgress(
  db: Db,
  submissionId: string,
  stepIndex: number,
  message: string,
  schedulerJobId: string,
): Promise<void> {
  await db
    .with('changed', (q) =>
      q
        .updateTable('step_runs')
        .set({ message, scheduler_job_id: schedulerJobId })
        .where('submission_id', '=', submissionId)
        .where('step_index', '=', stepIndex)
        .where('status', '=', 'running')
        .returning('submission_id'),
    )
    .with('noted', (q) =>
      q
        .insertInto('submission_messages')
        .columns(['submission_id', 'step_index', 'status', 'message'])
        .expression((eb) =>
          eb
            .selectFrom('changed')
            .select((s) => [
              'submission_id',
              s.val(stepIndex).as('step_index'),
              s.val('running').as('status'),
              s.val(message).as('message'),
            ]),
        ),
    )
    .selectNoFrom(submissionChangedNotice(submissionId))
    .execute();
}

export async function listStepRuns(db: Db, submissionId: string) {
  return db
    .selectFrom('step_runs')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .orderBy('step_index')
    .execute();
}

/** Run time of each ended step (its last attempt), as histogram rows `task, backend, status, v`. */
export const STEP_DURATIONS = sql`select task_name as task, backend, status, extract(epoch from finished_at - started_at)::float8 as v
  from step_runs where started_at is not null and finished_at is not null`;

// Temporal's clock and PostgreSQL's may disagree by a little; a wait is never negative.
/** How long each step's attempt waited on its task queue, as histogram rows `task, backend, v`. */
export const STEP_QUEUE_WAITS = sql`select task_name as task, backend, greatest(0, extract(epoch from started_at - scheduled_at))::float8 as v
  from step_runs where started_at is not null and scheduled_at is not null`;

type StepAbout = Pick<PlannedStep, 'index' | 'stage' | 'taskName' | 'backend'>;

/** A step the run decided not to start: one ended row with the reason, so every surface can show why. */
export async function markStepSkipped(db: Db, submissionId: string, step: StepAbout, reason: string): Promise<void> {
  await upsertStepRow(db, submissionId, step, {
    status: 'skipped',
    message: `Skipped: ${reason}`,
    finished_at: sql<Date>`now()`,
  });
}

/** A map step begins: its row says how many items it runs; each item's run is a row of its own. */
export async function markMapStarted(db: Db, submissionId: string, step: StepAbout, items: number): Promise<void> {
  await upsertStepRow(db, submissionId, step, {
    status: 'running',
    items,
    message: `Mapping ${items} item${items === 1 ? '' : 's'}`,
    started_at: sql<Date>`now()`,
  });
}

/** A step the workflow runs itself (a nested job) begins. */
export async function markWorkflowStepRunning(db: Db, submissionId: string, step: StepAbout, message: string) {
  await upsertStepRow(db, submissionId, step, { status: 'running', message, started_at: sql<Date>`now()` });
}

/**
 * One row per step, inserted or updated. The notice goes in the same statement as the change: a
 * data-modifying WITH runs whether or not it is read.
 */
async function upsertStepRow(
  db: Db,
  submissionId: string,
  step: StepAbout,
  values: Pick<StepRunUpdate, 'status' | 'message' | 'items' | 'attempt' | 'host' | 'exit_code'> & {
    started_at?: RawBuilder<Date>;
    finished_at?: RawBuilder<Date> | null;
  },
): Promise<void> {
  await db
    .with('changed', (q) =>
      q
        .insertInto('step_runs')
        .values({
          submission_id: submissionId,
          step_index: step.index,
          stage: step.stage,
          task_name: step.taskName,
          backend: step.backend,
          ...values,
        })
        .onConflict((oc) => oc.columns(['submission_id', 'step_index']).doUpdateSet(values)),
    )
    .selectNoFrom(submissionChangedNotice(submissionId))
    .execute();
}
