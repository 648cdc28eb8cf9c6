import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { StepStatus } from '../db/step-runs.table.ts';
import type { PlannedStep } from '../domain/execution-plan.ts';
import { notifySubmissionChanged } from './submission-events.ts';

/** Marks a step's attempt as running; one row per step, so a retry updates rather than duplicates. */
export async function markStepRunning(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  attempt: number,
  host: string,
  scheduledAt: Date | null = null,
): Promise<void> {
  await db
    .insertInto('step_runs')
    .values({
      submission_id: submissionId,
      step_index: step.index,
      stage: step.stage,
      task_name: step.taskName,
      backend: step.backend,
      status: 'running',
      attempt,
      host,
      message: `Running attempt ${attempt}`,
      scheduled_at: scheduledAt,
      started_at: sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc.columns(['submission_id', 'step_index']).doUpdateSet({
        status: 'running',
        attempt,
        host,
        exit_code: null,
        message: `Running attempt ${attempt}`,
        scheduled_at: scheduledAt,
        started_at: sql<Date>`now()`,
        finished_at: null,
      }),
    )
    .execute();
  await notifySubmissionChanged(db, submissionId);
}

export async function markStepEnded(
  db: Db,
  submissionId: string,
  stepIndex: number,
  status: StepStatus,
  exitCode: number | null,
  message: string,
): Promise<void> {
  await db
    .updateTable('step_runs')
    .set({ status, exit_code: exitCode, message, finished_at: sql<Date>`now()` })
    .where('submission_id', '=', submissionId)
    .where('step_index', '=', stepIndex)
    .execute();
  await notifySubmissionChanged(db, submissionId);
}

export async function listStepRuns(db: Db, submissionId: string) {
  return db
    .selectFrom('step_runs')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .orderBy('step_index')
    .execute();
}
