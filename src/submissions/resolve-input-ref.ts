import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { findVisibleDataset } from '../datasets/dataset-service.ts';
import { DomainError } from '../domain/domain-error.ts';
import { checkUrlAddress } from '../files/url-address-policy.ts';
import { findVisibleSubmission } from './find-visible-submission.ts';

/** A submission's input given by reference instead of an upload: exactly one of dataset, submission with file, url. */
export interface InputRef {
  dataset?: string;
  submission?: string;
  file?: string;
  url?: string;
}

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
  if (ref.dataset !== undefined) {
    const datasetId = ref.dataset;
    const dataset = await findVisibleDataset(deps.db, datasetId, principal).catch(() => {
      throw refused(`names no dataset ${datasetId} you may use`);
    });
    return { kind: 'blob', sha256: dataset.sha256, size: dataset.size, name: dataset.file_name };
  }
  if (ref.submission !== undefined) {
    const submissionId = ref.submission;
    const fileName = ref.file ?? '';
    const submission = await findVisibleSubmission(deps.db, submissionId, principal).catch(() => {
      throw refused(`names no submission ${submissionId} you may read`);
    });
    if (submission.status === 'expired') throw refused(`names submission ${submissionId}, whose files have expired`);
    const file = await deps.db
      .selectFrom('stored_files')
      .select(['sha256', 'size', 'name'])
      .where('submission_id', '=', submission.id)
      .where('name', '=', fileName)
      .where('kind', 'in', ['input', 'result'])
      .where('completed_at', 'is not', null)
      .orderBy('step_index', (ob) => ob.desc().nullsLast())
      .executeTakeFirst();
    if (!file?.sha256) throw refused(`names no file "${fileName}" of submission ${submissionId}`);
    return { kind: 'blob', sha256: file.sha256, size: file.size, name: file.name };
  }
  const url = ref.url ?? '';
  const problem = await checkUrlAddress(url, deps.config.urlInputs.allowPrivate);
  if (problem) throw refused(`url ${problem}`);
  return { kind: 'url', url };
}
