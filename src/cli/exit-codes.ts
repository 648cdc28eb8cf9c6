import type { SubmissionStatus } from '../db/submissions.table.ts';
import { isSettled } from '../submissions/submission-status.ts';

/** What `aa` exits with, so scripts can tell a finished analysis from a failed one or a cancelled one. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  cancelled: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success (for --wait and watch: the submission is complete)
  1  failure: the submission ended in error or crash (or was deleted or expired), a download did
     not match its sha256, or the API refused the request or could not be reached
  2  usage: a bad command line, or parameters the API refused (HTTP 422)
  3  the submission was cancelled`;

/** Nothing more will happen to a submission in this status: following it can stop. */
export function isFinished(status: string): boolean {
  return isSettled(status);
}

/** The exit code for a submission that ended in this status. */
export function exitCodeForStatus(status: SubmissionStatus | string): ExitCode {
  if (status === 'complete') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  return EXIT.failed;
}
