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
  if (!isSubmissionId(id)) throw new DomainError('not_found', `No submission ${id}`);
  return checkVisible(id, await findSubmission(db, id), principal);
}

/** Whether `id` can name a submission at all (a uuid): anything else is a 404 without a query. */
export function isSubmissionId(id: string): boolean {
  return UUID.test(id);
}

/** The rule of findVisibleSubmission applied to a row read elsewhere (a cache of it): the row, or its 404 or 410. */
export function checkVisible<S extends Pick<Submission, 'user_id' | 'status' | 'deleted_at'>>(
  id: string,
  submission: S | undefined,
  principal: Principal | null,
): S {
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
