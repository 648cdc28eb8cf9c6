import { sql } from 'kysely';
import { freeUnheldBlobs } from '../files/blob-collector.ts';
import type { Db } from '../db/create-db.ts';
import { ITEM_BASE } from '../domain/map-items.ts';

/** A submission's complete files (inputs, results, stdout, stderr), by step then name. */
export async function listSubmissionFiles(db: Db, submissionId: string) {
  return db
    .selectFrom('stored_files')
    .select(['id', 'name', 'kind', 'task_name', 'step_index', 'size', 'sha256'])
    .where('submission_id', '=', submissionId)
    .where('completed_at', 'is not', null)
    .orderBy('step_index')
    .orderBy('name')
    .execute();
}

/** One complete file of this submission; undefined for an id that is not one of its files. */
export async function findSubmissionFile(db: Db, submissionId: string, fileId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(fileId)) return undefined;
  return db
    .selectFrom('stored_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('submission_id', '=', submissionId)
    .where('completed_at', 'is not', null)
    .executeTakeFirst();
}

/** A complete file by id alone, with what decides whether the caller may have it: its submission's status and owner. */
export async function findFileWithOwner(db: Db, fileId: string) {
  return db
    .selectFrom('stored_files')
    .innerJoin('submissions', 'submissions.id', 'stored_files.submission_id')
    .select(['stored_files.id', 'stored_files.name', 'stored_files.size'])
    .select(['submissions.status', 'submissions.user_id'])
    .where('stored_files.id', '=', fileId)
    .where('stored_files.completed_at', 'is not', null)
    .executeTakeFirst();
}

/** Inputs and results of these submissions with the id of the task that made each, by stage, step and name. */
export async function listInputsAndResults(db: Db, submissionIds: string[]) {
  if (submissionIds.length === 0) return [];
  return db
    .selectFrom('stored_files')
    .leftJoin('tasks', 'tasks.name', 'stored_files.task_name')
    .select(['stored_files.id', 'stored_files.submission_id', 'stored_files.kind', 'stored_files.name'])
    .select(['stored_files.task_name', 'stored_files.stage', 'tasks.id as task_id'])
    .where('stored_files.submission_id', 'in', submissionIds)
    .where('stored_files.kind', 'in', ['input', 'result'])
    .where('stored_files.completed_at', 'is not', null)
    .orderBy('stored_files.stage')
    .orderBy('stored_files.step_index')
    .orderBy('stored_files.name')
    .execute();
}

/** The files a step of `stage` may read: the upload and the results of earlier stages, oldest first. */
export async function listFilesBeforeStage(db: Db, submissionId: string, stage: number) {
  return db
    .selectFrom('stored_files')
    .select(['id', 'kind', 'name'])
    .where('submission_id', '=', submissionId)
    .where('completed_at', 'is not', null)
    .where((eb) => eb.or([eb('kind', '=', 'input'), eb.and([eb('kind', '=', 'result'), eb('stage', '<', stage)])]))
    .orderBy('created_at')
    .execute();
}

/** Drops what an earlier attempt of the step stored, so a retry never duplicates results. */
export async function deleteStepFiles(db: Db, submissionId: string, stepIndex: number): Promise<void> {
  const files = await db
    .deleteFrom('stored_files')
    .where('submission_id', '=', submissionId)
    .where('step_index', '=', stepIndex)
    .returning('blob_id')
    .execute();
  await freeUnheldBlobs(
    db,
    files.map((file) => file.blob_id),
  );
}

/** The upload and the results of these steps (a step's ancestors in a graph plan) and of their map items, oldest first. */
export async function listFilesOfSteps(db: Db, submissionId: string, stepIndexes: number[]) {
  const steps = stepIndexes.length ? stepIndexes : [-1];
  return db
    .selectFrom('stored_files')
    .select(['id', 'kind', 'name', 'step_index', 'size'])
    .where('submission_id', '=', submissionId)
    .where('completed_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('kind', '=', 'input'),
        eb.and([
          eb('kind', '=', 'result'),
          eb.or([eb('step_index', 'in', steps), eb(sql<number>`step_index / ${ITEM_BASE}::integer - 1`, 'in', steps)]),
        ]),
      ]),
    )
    .orderBy('created_at')
    .execute();
}
