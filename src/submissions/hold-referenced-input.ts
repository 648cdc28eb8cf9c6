import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import { attachExistingBlob } from '../files/blob-store.ts';
import { insertFileRow } from '../files/file-store.ts';

/**
 * Makes bytes already stored (a dataset's, an earlier result's) this submission's input without
 * copying them. The submission holds them from now on: deleting the dataset later leaves them.
 */
export async function holdReferencedInput(db: Db, submissionId: string, ref: { sha256: string; name: string }) {
  const held = await attachExistingBlob(db, ref.sha256, (trx, blob) =>
    insertFileRow(trx, { submissionId, kind: 'input', name: ref.name }, blob),
  );
  if (!held.found)
    throw new DomainError('conflict', 'The referenced input was deleted while the submission was stored');
  return held.value;
}
