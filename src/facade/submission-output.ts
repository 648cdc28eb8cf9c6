// A_A's SubmissionOutputSerializer and BatchSerializer shapes (reference/aa-behaviour.md §2.2, §2.3).
import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';
import { listInputsAndResults } from '../submissions/submission-file-repository.ts';
import { listMessageStatuses } from '../submissions/submission-message-repository.ts';
import { aaState, batchState, statusBeforeExpiry, type AaState, type ShownStatus } from './aa-state.ts';

export interface AaResult {
  task: number | null;
  name: string;
  message: 'Result';
  step: number;
  data_path: string;
}

export interface AaSubmissionOutput {
  submission_name: string;
  job_name: string;
  UUID: string;
  state: AaState;
  last_message: string;
  email: string | null;
  input_file: string | null;
  results: AaResult[];
}

/**
 * Where a stored file is served, as A_A's data_path: the URL with everything up to and including
 * "analytics_automated" removed, so `<base>/analytics_automated` + data_path downloads it, as
 * A_A's documented clients join them.
 */
export function facadeFilePath(fileId: string, name: string): string {
  return `/submissions/${fileId}/${encodeURIComponent(name)}`;
}

/** The A_A view of each submission, in the given order; expired ones keep their outcome but not their files. */
export async function submissionOutputs(db: Db, submissions: Submission[]): Promise<AaSubmissionOutput[]> {
  if (submissions.length === 0) return [];
  const liveIds = submissions.filter((s) => s.status !== 'expired').map((s) => s.id);
  const expiredIds = submissions.filter((s) => s.status === 'expired').map((s) => s.id);
  const [files, history] = await Promise.all([listInputsAndResults(db, liveIds), listMessageStatuses(db, expiredIds)]);
  return submissions.map((s) => {
    const own = files.filter((f) => f.submission_id === s.id);
    const input = own.find((f) => f.kind === 'input');
    return {
      submission_name: s.name,
      job_name: s.job_name,
      UUID: s.id,
      state: aaState(
        shownStatus(
          s,
          history.filter((h) => h.submission_id === s.id).map((h) => h.status),
        ),
      ),
      last_message: s.last_message,
      email: s.email,
      input_file: input ? facadeFilePath(input.id, input.name) : null,
      results: own
        .filter((f) => f.kind === 'result')
        .map((f) => ({
          task: f.task_id ?? null,
          name: f.task_name ?? '',
          message: 'Result' as const,
          // A_A's current_step: the 1-based stage.
          step: (f.stage ?? 0) + 1,
          data_path: facadeFilePath(f.id, f.name),
        })),
    };
  });
}

function shownStatus(submission: Submission, history: string[]): ShownStatus {
  if (submission.status === 'expired') return statusBeforeExpiry(history);
  // Deleted submissions are filtered out before this; Error is the safe label if one slips through.
  if (submission.status === 'deleted') return 'error';
  return submission.status;
}

/** A batch as A_A showed it: its state derived from its submissions. */
export async function batchOutput(db: Db, batchId: string, submissions: Submission[]) {
  const outputs = await submissionOutputs(db, submissions);
  return batchOf(
    batchId,
    outputs.map((output, i) => ({ output, finishedAt: submissions[i]!.finished_at })),
  );
}

/** The batch body from its submissions' outputs and end times. */
export function batchOf(batchId: string, members: { output: AaSubmissionOutput; finishedAt: Date | null }[]) {
  const state = batchState(members.map(({ output, finishedAt }) => ({ state: output.state, finishedAt })));
  return { UUID: batchId, state, submissions: members.map((m) => m.output) };
}
