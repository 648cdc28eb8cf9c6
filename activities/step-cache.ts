import { createHash } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import type { PlannedStep, StepResult } from '../src/domain/execution-plan.ts';
import { stepCacheMaterial, type KeyedInput } from '../src/domain/step-cache-key.ts';
import { hashLocalFile } from '../src/files/chunked-bytes.ts';
import { markStepEnded } from '../src/submissions/step-run-repository.ts';
import { appendMessage } from '../src/submissions/submission-message-repository.ts';
import { deleteStepFiles } from '../src/submissions/submission-file-repository.ts';
import { uploadNameFor } from './step-files.ts';

/**
 * The step cache, checked once the step's inputs are staged and before its command runs. Every
 * step records its cache key (so what depends on it can key on it): a cached step here, any other
 * with its end (finishStep), which saves a statement per step. A step with the cache on
 * (task `cache: true`, or asked by the submission) whose key has a finished, kept result elsewhere
 * runs no process: that result's files are linked (the same stored bytes) and the step ends
 * `cached`, naming the submission it came from.
 */
export async function useStepCache(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  staged: string[],
  workDir: string,
): Promise<{ key: string; cached: StepResult | null }> {
  const inputs = await keyedInputs(db, submissionId, step, staged, workDir);
  const key = createHash('sha256')
    .update(stepCacheMaterial(step, submissionId, inputs))
    .digest('hex');
  const source = step.cache ? await findCachedResult(db, key, submissionId) : undefined;
  if (!source) return { key, cached: null };
  await deleteStepFiles(db, submissionId, step.index);
  const linked = await linkResultFiles(db, source, submissionId, step);
  if (linked === 0) return { key, cached: null };
  const message = `Cached: the result of submission ${source.submission_id} (step ${source.step_index + 1})`;
  await db
    .updateTable('step_runs')
    .set({ cache_key: key, cached_from: source.submission_id })
    .where('submission_id', '=', submissionId)
    .where('step_index', '=', step.index)
    .execute();
  await markStepEnded(db, submissionId, step.index, 'cached', 0, message);
  await noteCachedStep(db, submissionId, step, message);
  return { key, cached: { outcome: 'continue', exitCode: 0, message } };
}

/**
 * Every input of the submission (an upload however it is staged), and every staged file: a result
 * of an earlier step by its stored sha256 and that step's key, anything else hashed from the work
 * dir. Erring towards more key material only costs hits; a staged file left out could reuse a
 * result made from other bytes.
 */
async function keyedInputs(
  db: Db,
  submissionId: string,
  step: PlannedStep,
  staged: string[],
  workDir: string,
): Promise<KeyedInput[]> {
  const rows = await db
    .selectFrom('stored_files as f')
    .leftJoin('step_runs as r', (join) =>
      join.onRef('r.submission_id', '=', 'f.submission_id').onRef('r.step_index', '=', 'f.step_index'),
    )
    .select(['f.kind', 'f.name', 'f.sha256', 'r.cache_key'])
    .where('f.submission_id', '=', submissionId)
    .where('f.kind', 'in', ['input', 'result'])
    .where('f.completed_at', 'is not', null)
    .execute();
  const normalise = (name: string) => name.replaceAll(submissionId, '$ID');
  // The upload's own file name varies between submissions of the same bytes: it is not part of the key.
  const keyed: KeyedInput[] = rows
    .filter((row) => row.kind === 'input')
    .map((row) => ({ name: '(input)', sha256: row.sha256 ?? '', producerKey: null }));
  const results = new Map(rows.filter((row) => row.kind === 'result').map((row) => [path.basename(row.name), row]));
  const uploadName = path.basename(uploadNameFor(submissionId, step));
  for (const name of staged) {
    const result = results.get(name);
    if (result?.sha256) keyed.push({ name: normalise(name), sha256: result.sha256, producerKey: result.cache_key });
    else if (name !== uploadName || keyed.length === 0)
      keyed.push({
        name: normalise(name),
        sha256: (await hashLocalFile(path.join(workDir, name))).sha256,
        producerKey: null,
      });
  }
  return keyed;
}

/** The newest finished run with this key in a submission whose files are kept. */
async function findCachedResult(db: Db, key: string, submissionId: string) {
  return db
    .selectFrom('step_runs as r')
    .innerJoin('submissions as s', 's.id', 'r.submission_id')
    .select(['r.submission_id', 'r.step_index'])
    .where('r.cache_key', '=', key)
    .where('r.status', 'in', ['complete', 'cached'])
    .where('r.exit_code', '=', 0)
    .where('r.submission_id', '<>', submissionId)
    .where('s.status', 'not in', ['deleted', 'expired'])
    .orderBy('r.finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Gives this step the source step's results, stdout and stderr: rows pointing at the same blobs,
 * named for this submission. The blobs are locked first so a concurrent delete cannot free them.
 */
async function linkResultFiles(
  db: Db,
  source: { submission_id: string; step_index: number },
  submissionId: string,
  step: PlannedStep,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const files = await trx
      .selectFrom('stored_files as f')
      .innerJoin('blobs as b', 'b.id', 'f.blob_id')
      .select(['f.kind', 'f.name', 'f.blob_id', 'f.size', 'f.sha256'])
      .where('f.submission_id', '=', source.submission_id)
      .where('f.step_index', '=', source.step_index)
      .where('f.kind', 'in', ['result', 'stdout', 'stderr'])
      .where('f.completed_at', 'is not', null)
      .forKeyShare('b')
      .execute();
    if (files.length === 0) return 0;
    await trx
      .insertInto('stored_files')
      .values(
        files.map((f) => ({
          submission_id: submissionId,
          kind: f.kind,
          name: f.name.replaceAll(source.submission_id, submissionId),
          task_name: step.taskName,
          step_index: step.index,
          stage: step.stage,
          blob_id: f.blob_id,
          size: f.size,
          sha256: f.sha256,
          completed_at: sql<Date>`now()`,
        })),
      )
      .execute();
    return files.length;
  });
}

/** In the status history, and as the running submission's message (what A_A clients poll). */
async function noteCachedStep(db: Db, submissionId: string, step: PlannedStep, message: string): Promise<void> {
  const text = `Step ${step.index + 1} (${step.taskName}): ${message}`;
  await appendMessage(db, submissionId, step.index, 'cached', text);
  await db
    .updateTable('submissions')
    .set({ last_message: text, updated_at: sql<Date>`now()` })
    .where('id', '=', submissionId)
    .where('status', '=', 'running')
    .execute();
}
