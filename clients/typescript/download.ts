import { getSubmission, type Submission } from './follow.ts';
import { unwrap, type AaApi } from './open-api.ts';
import { saveVerified, type DownloadCheck } from './save-verified.ts';

export type ResultFile = Submission['files'][number];

/** A file of the submission by its id or name (an output before an input of that name), or as listed in `files`. */
export type FileChoice = string | ResultFile;

export async function resolveFile(api: AaApi, id: string, file: FileChoice): Promise<ResultFile> {
  if (typeof file !== 'string') return file;
  const { files } = await getSubmission(api, id);
  const byName = files.filter((f) => f.name === file);
  const found = files.find((f) => f.id === file) ?? byName.find((f) => f.kind !== 'input') ?? byName[0];
  if (!found) throw new Error(`submission ${id} has no file ${file}`);
  return found;
}

/**
 * Streams one of a submission's files to dest and checks size and sha256 against what the API recorded;
 * dest appears only when they match. `verified: false` means nothing was kept.
 */
export async function downloadFile(api: AaApi, id: string, file: ResultFile, dest: string): Promise<DownloadCheck> {
  const body = await unwrap(
    api.GET('/api/v1/submissions/{id}/files/{fileId}', {
      params: { path: { id, fileId: file.id } },
      parseAs: 'stream',
    }),
  );
  return saveVerified(body as ReadableStream<Uint8Array>, dest, file);
}

/** A download whose bytes did not match the size and sha256 the API recorded; nothing was kept. */
export class ChecksumMismatchError extends Error {
  readonly check: DownloadCheck;
  constructor(file: ResultFile, check: DownloadCheck) {
    super(`${file.name}: got sha256 ${check.sha256} (${check.size} B), expected ${file.sha256} (${file.size} B)`);
    this.name = 'ChecksumMismatchError';
    this.check = check;
  }
}
