import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { findVisibleDataset } from '../datasets/dataset-service.ts';
import { DomainError } from '../domain/domain-error.ts';
import { checkUrlAddress } from '../files/url-address-policy.ts';
import { findVisibleSubmission } from './find-visible-submission.ts';

/** A submission's input given by reference instead of an upload. */
export type InputRef = { dataset: string } | { submission: string; file: string } | { url: string };

/** What a reference stands for once checked: bytes already stored, or a URL the worker fetches. */
export type ReferencedInput =
  { kind: 'blob'; sha256: string; size: number; name: string } | { kind: 'url'; url: string };

const refused = (message: string) =>
  new DomainError('unprocessable', `inputRef ${message}`, [{ path: 'inputRef', message }]);

/** Checks the caller may use what the reference names, and that it exists; nothing is stored yet. */
export async function resolveInputRef(
  deps: { db: Db; config: Config },
  ref: InputRef,
  principal: Principal | null,
): Promise<ReferencedInput> {
  if ('dataset' in ref) {
    const dataset = await findVisibleDataset(deps.db, ref.dataset, principal).catch(() => {
      throw refused(`names no dataset ${ref.dataset} you may use`);
    });
    return { kind: 'blob', sha256: dataset.sha256, size: dataset.size, name: dataset.file_name };
  }
  if ('submission' in ref) {
    const submission = await findVisibleSubmission(deps.db, ref.submission, principal).catch(() => {
      throw refused(`names no submission ${ref.submission} you may read`);
    });
    if (submission.status === 'expired') throw refused(`names submission ${ref.submission}, whose files have expired`);
    const file = await deps.db
      .selectFrom('stored_files')
      .select(['sha256', 'size', 'name'])
      .where('submission_id', '=', submission.id)
      .where('name', '=', ref.file)
      .where('kind', 'in', ['input', 'result'])
      .where('completed_at', 'is not', null)
      .orderBy('step_index', (ob) => ob.desc().nullsLast())
      .executeTakeFirst();
    if (!file?.sha256) throw refused(`names no file "${ref.file}" of submission ${ref.submission}`);
    return { kind: 'blob', sha256: file.sha256, size: file.size, name: file.name };
  }
  const problem = await checkUrlAddress(ref.url, deps.config.urlInputs.allowPrivate);
  if (problem) throw refused(`url ${problem}`);
  return { kind: 'url', url: ref.url };
}
