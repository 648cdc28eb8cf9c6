import { DomainError } from '../domain/domain-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';
import { findSubmission } from './submission-repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The submission if this caller may see it. Anonymous submissions are read with their unguessable
 * id, as in A_A; a user's submissions only by that user or an admin. Others get 404, not 403, so
 * ids of other users' submissions are not confirmed.
 */
export async function findVisibleSubmission(db: Db, id: string, principal: Principal | null): Promise<Submission> {
  if (!UUID.test(id)) throw new DomainError('not_found', `No submission ${id}`);
  const submission = await findSubmission(db, id);
  if (!submission) throw new DomainError('not_found', `No submission ${id}`);
  if (!isVisibleTo(submission, principal)) throw new DomainError('not_found', `No submission ${id}`);
  if (submission.status === 'deleted') {
    throw new DomainError('gone', `Submission ${id} was deleted`, {
      deletedAt: submission.deleted_at?.toISOString(),
    });
  }
  return submission;
}

/** Anonymous submissions are anyone's who has the id; a user's are that user's and admins'. */
export function isVisibleTo(submission: Pick<Submission, 'user_id'>, principal: Principal | null): boolean {
  return submission.user_id === null || principal?.role === 'admin' || principal?.userId === submission.user_id;
}
