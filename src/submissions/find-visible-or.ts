import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import { findVisibleSubmission } from './find-visible-submission.ts';

/**
 * The submission if this caller may see it; otherwise (unknown, hidden or deleted) the error a
 * standard's door answers with, such as OGC's no-such-job or WES's 404 ErrorResponse.
 */
export async function findVisibleOr(db: Db, id: string, principal: Principal | null, missing: (id: string) => Error) {
  try {
    return await findVisibleSubmission(db, id, principal);
  } catch (err) {
    if (err instanceof DomainError && (err.code === 'not_found' || err.code === 'gone')) throw missing(id);
    throw err;
  }
}
