import type { Principal } from '../auth/principal.ts';
import { controlTokenMatches } from '../auth/control-token.ts';
import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';
import { DomainError } from '../domain/domain-error.ts';
import { findVisibleSubmission } from './find-visible-submission.ts';

/** The request header that carries an anonymous submission's control token. */
export const SUBMISSION_TOKEN_HEADER = 'Submission-Token';

/**
 * Refuses (forbidden) a cancel or delete the caller may not make. Reading an anonymous submission
 * needs only its id, as in A_A; stopping or erasing it needs the control token its POST returned,
 * so a leaked link (a shared results URL, a log line) cannot destroy someone's work. An admin may
 * always; a user's submission is its user's (visibility already hides it from others with a 404).
 * Anonymous submissions stored before tokens existed have none, so only an admin may control them.
 */
export function checkMayControl(
  submission: Pick<Submission, 'id' | 'user_id' | 'control_token_sha256'>,
  principal: Principal | null,
  offeredToken: string | undefined,
): void {
  if (principal?.role === 'admin') return;
  if (submission.user_id !== null) {
    if (principal?.userId === submission.user_id) return;
    throw new DomainError('forbidden', `Submission ${submission.id} belongs to another user`);
  }
  if (controlTokenMatches(offeredToken, submission.control_token_sha256)) return;
  if (submission.control_token_sha256 === null) {
    throw new DomainError(
      'forbidden',
      `Submission ${submission.id} was stored before control tokens existed; only an admin may cancel or delete it`,
    );
  }
  throw new DomainError(
    'forbidden',
    offeredToken === undefined
      ? `Cancelling or deleting anonymous submission ${submission.id} needs its control token: send the control token its POST returned in the ${SUBMISSION_TOKEN_HEADER} header`
      : `The ${SUBMISSION_TOKEN_HEADER} header does not match submission ${submission.id}: send the control token its POST returned`,
  );
}

/** The submission a cancel or delete names, if the caller may see it (else 404) and control it (else 403). */
export async function findControllableSubmission(
  db: Db,
  id: string,
  principal: Principal | null,
  offeredToken: string | undefined,
): Promise<Submission> {
  const submission = await findVisibleSubmission(db, id, principal);
  checkMayControl(submission, principal, offeredToken);
  return submission;
}
