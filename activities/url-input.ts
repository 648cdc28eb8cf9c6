import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { sql } from 'kysely';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { STEP_FAILED, type PlannedStep } from '../src/domain/execution-plan.ts';
import { storeFileFromPath } from '../src/files/file-store.ts';
import { fetchUrlToFile, UrlFetchError } from '../src/files/fetch-url.ts';
import { markStepEnded } from '../src/submissions/step-run-repository.ts';

/**
 * For a submission whose input is a URL: the first step to run fetches it (steps of one stage take
 * turns on a per-submission lock) and stores it as the submission's input, so every step then
 * reads it as an upload. A refused or over-size download ends this step `error` with the reason.
 */
export async function fetchUrlInputIfAny(
  deps: { db: Db; config: Config },
  submissionId: string,
  step: PlannedStep,
  workDir: string,
  signal: AbortSignal,
): Promise<void> {
  const { db, config } = deps;
  const row = await db.selectFrom('submissions').select('input_url').where('id', '=', submissionId).executeTakeFirst();
  if (!row?.input_url) return;
  const url = row.input_url;
  try {
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(hashtextextended(${submissionId}, 1))`.execute(conn);
      try {
        if (await hasInput(db, submissionId)) return;
        const part = path.join(workDir, '.url-input.part');
        await fetchUrlToFile(url, part, config.urlInputs, signal);
        await storeFileFromPath(db, { submissionId, kind: 'input', name: nameFromUrl(url) }, part);
        await rm(part, { force: true });
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${submissionId}, 1))`.execute(conn);
      }
    });
  } catch (err) {
    if (!(err instanceof UrlFetchError)) throw err;
    await markStepEnded(db, submissionId, step.index, 'error', null, err.message);
    throw ApplicationFailure.create({ type: STEP_FAILED, message: err.message, nonRetryable: true });
  }
}

async function hasInput(db: Db, submissionId: string): Promise<boolean> {
  const file = await db
    .selectFrom('stored_files')
    .select('id')
    .where('submission_id', '=', submissionId)
    .where('kind', '=', 'input')
    .executeTakeFirst();
  return file !== undefined;
}

function nameFromUrl(url: string): string {
  const base = path.posix.basename(new URL(url).pathname);
  const safe = decodeURIComponentSafe(base)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
    .replace(/[\u0000-\u001f/\\]/g, '_')
    .slice(0, 255);
  return safe === '' || safe === '.' || safe === '..' ? 'input' : safe;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
