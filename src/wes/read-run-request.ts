// POST /runs's multipart body (RunRequest): text fields, and workflow_attachment files streamed to a
// temporary directory. A WES client attaches the workflow descriptor too (wes-client attaches a
// local workflow file and names it in workflow_url); that one is told apart once the fields are known.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { isRawField, isRawFilename, multipartText, RAW_CHARSET } from '../api/multipart-text.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import { WesError } from './wes-errors.ts';

export const ATTACHMENT_FIELD = 'workflow_attachment';
// The descriptor and one data file; more is refused rather than silently dropped.
const MAX_ATTACHMENTS = 2;

export interface RunRequestBody {
  fields: Record<string, string>;
  attachments: UploadedInput[];
  cleanup: () => Promise<void>;
}

export async function readRunRequest(
  request: Request,
  maxUploadBytes: number,
  incoming?: Readable,
): Promise<RunRequestBody> {
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    throw new WesError(400, 'Send the run request as multipart/form-data');
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'aa-wes-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const fields: Record<string, string> = {};
  const attachments: UploadedInput[] = [];
  const writes: Promise<void>[] = [];
  let refusal: WesError | null = null;
  const refuse = (message: string, status: 400 | 413 = 400) => {
    refusal ??= new WesError(status, message);
  };
  try {
    const parser = busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fileSize: maxUploadBytes, files: MAX_ATTACHMENTS, fields: 100, fieldSize: 64 * 1024 },
      defCharset: RAW_CHARSET,
      defParamCharset: RAW_CHARSET,
    });
    parser.on('field', (rawName, rawValue, info) => {
      const name = multipartText(rawName);
      const value = multipartText(rawValue, isRawField(info));
      if ('problem' in name || 'problem' in value) return refuse(`Field ${rawName} is not well-formed text`);
      fields[name.text] = value.text;
    });
    parser.on('file', (rawName, stream, info) => {
      const filename = multipartText(info.filename ?? '', isRawFilename(info));
      if (rawName !== ATTACHMENT_FIELD || 'problem' in filename || filename.text === '') {
        stream.resume();
        return rawName === ATTACHMENT_FIELD ? refuse(`Every ${ATTACHMENT_FIELD} needs a file name`) : undefined;
      }
      const target = path.join(dir, String(writes.length));
      let size = 0;
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('limit', () => refuse(`An attachment is larger than ${maxUploadBytes} bytes`, 413));
      writes.push(
        pipeline(stream, createWriteStream(target)).then(() => {
          attachments.push({ path: target, originalName: path.basename(filename.text), size });
        }),
      );
    });
    parser.on('filesLimit', () => refuse(`At most one data file besides the workflow descriptor may be attached`));
    if (!incoming && !request.body) throw new WesError(400, 'The request has no body');
    await pipeline(incoming ?? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
    if (refusal) throw refusal;
    return { fields, attachments, cleanup };
  } catch (err) {
    await cleanup();
    if (err instanceof WesError) throw err;
    throw new WesError(400, `Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`);
  }
}
