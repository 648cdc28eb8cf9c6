import type { Db } from '../db/create-db.ts';
import type { SubmissionStatus } from '../db/submissions.table.ts';
import { findSubmission, listBatchSubmissions } from '../submissions/submission-repository.ts';
import { isActive, isTerminal } from '../submissions/submission-status.ts';
import type { MailOwner } from './mail-claims.ts';
import type { MailValues } from './mail-templates.ts';

export interface MailTarget {
  owner: MailOwner;
  id: string;
  to: string[];
  values: MailValues;
}

// A batch reports its worst outcome, as A_A's batch status turns to error on any failed member.
const BATCH_STATUS_ORDER: readonly SubmissionStatus[] = ['error', 'crash', 'cancelled', 'complete'];

/**
 * Who should hear that a submission ended, and about what: the submission itself, or, for a
 * facade batch, the whole batch once no member is still active. Null when there is nothing to send.
 */
export async function findMailTarget(db: Db, submissionId: string, publicUrl: string): Promise<MailTarget | null> {
  const submission = await findSubmission(db, submissionId);
  // Deleted or expired submissions are not mailed about, however late a retry comes.
  if (!submission || !isTerminal(submission.status)) return null;
  const base = publicUrl.replace(/\/+$/, '');
  if (!submission.batch_id) {
    if (!submission.email) return null;
    const { id, name, job_name: job, status, last_message: message } = submission;
    const url = `${base}/api/v1/submissions/${id}`;
    return { owner: 'submissions', id, to: [submission.email], values: { id, name, job, status, message, url } };
  }

  const batchId = submission.batch_id;
  const members = await listBatchSubmissions(db, batchId);
  if (members.some((m) => isActive(m.status))) return null;
  const to = unique(members.map((m) => m.email).filter((e): e is string => Boolean(e)));
  if (to.length === 0) return null;
  const status = BATCH_STATUS_ORDER.find((s) => members.some((m) => m.status === s)) ?? submission.status;
  const decisive = members.find((m) => m.status === status) ?? submission;
  return {
    owner: 'batches',
    id: batchId,
    to,
    values: {
      id: batchId,
      name: submission.name,
      job: unique(members.map((m) => m.job_name)).join(', '),
      status,
      message: decisive.last_message,
      // Batches are an A_A facade notion; their status lives at the facade's batch URL.
      url: `${base}/analytics_automated/submission/${batchId}`,
    },
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
