import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Config } from '../config.ts';
import { fileStoreDirOf, type Db } from '../db/create-db.ts';
import { newSpoolDir } from '../files/blob-files.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import { DomainError } from '../domain/domain-error.ts';
import { invalidText } from '../domain/invalid-text-error.ts';
import { isRawField, isRawFilename, multipartText, RAW_CHARSET } from './multipart-text.ts';

export interface SubmissionBody {
  fields: Record<string, string>;
  upload: UploadedInput | null;
  /** Removes the temporary upload; call once the submission is stored or refused. */
  cleanup: () => Promise<void>;
}

const UPLOAD_FIELD = 'input_data';

/** Where an upload goes: at most this many bytes, spooled into this file store. */
export interface UploadLimits {
  maxUploadBytes: number;
  storeDir: string;
}

/** The API's uploads: the configured limit, spooled where its database's blobs are stored. */
export function uploadLimitsOf(deps: { db: Db; config: Config }, maxUploadBytes = deps.config.limits.maxUploadBytes) {
  return { maxUploadBytes, storeDir: fileStoreDirOf(deps.db) };
}

/**
 * Streams a multipart body: fields into memory (small, capped), the upload to a temporary file in
 * the file store, hashed as it arrives, so a file of any allowed size passes with bounded memory
 * and is stored by a link, with no second pass over its bytes.
 */
export async function readMultipartBody(
  request: Request,
  { maxUploadBytes, storeDir }: UploadLimits,
  incoming?: Readable,
  uploadField = UPLOAD_FIELD,
): Promise<SubmissionBody> {
  const dir = await newSpoolDir(storeDir, 'upload-');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const fields: Record<string, string> = {};
  let upload: UploadedInput | null = null;
  try {
    const parser = busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fileSize: maxUploadBytes, files: 1, fields: 1000, fieldSize: 64 * 1024 },
      defCharset: RAW_CHARSET,
      defParamCharset: RAW_CHARSET,
    });
    const writes: Promise<void>[] = [];
    let tooLarge = false;
    // The first refusal; the body is still read to its end so the client gets the answer.
    let refusal: DomainError | null = null;
    const refuse = (err: DomainError) => {
      refusal ??= err;
    };
    parser.on('field', (rawName, rawValue, info) => {
      const name = multipartText(rawName);
      if ('problem' in name) return refuse(invalidText({ path: rawName, message: `field name ${name.problem}` }));
      if (name.text === uploadField) return refuse(noFileName(uploadField));
      const value = multipartText(rawValue, isRawField(info));
      if ('problem' in value) return refuse(invalidText({ path: name.text, message: value.problem }));
      fields[name.text] = value.text;
    });
    parser.on('file', (rawName, stream, info) => {
      if (rawName !== uploadField) {
        stream.resume();
        return;
      }
      const filename = multipartText(info.filename ?? '', isRawFilename(info));
      if ('problem' in filename || filename.text === '') {
        stream.resume();
        return refuse(
          'problem' in filename
            ? invalidText({ path: `${uploadField}.filename`, message: filename.problem })
            : noFileName(uploadField),
        );
      }
      const target = path.join(dir, 'upload');
      const hash = createHash('sha256');
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
      });
      stream.on('limit', () => {
        tooLarge = true;
      });
      writes.push(
        // flush: on disk before it is linked into the store, as every stored file is (blob-files.ts).
        pipeline(stream, createWriteStream(target, { flush: true })).then(() => {
          upload = { path: target, originalName: safeName(filename.text), size, sha256: hash.digest('hex') };
        }),
      );
    });
    if (!incoming && !request.body) throw new DomainError('bad_request', 'The request has no body');
    // The Node request itself when served by @hono/node-server: no web-stream copy in between.
    await pipeline(incoming ?? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(writes);
    if (refusal) throw refusal;
    if (tooLarge) throw new DomainError('payload_too_large', `The upload is larger than ${maxUploadBytes} bytes`);
    return { fields, upload, cleanup };
  } catch (err) {
    await cleanup();
    if (err instanceof DomainError) throw err;
    throw new DomainError(
      'bad_request',
      `Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Writes inline input from a JSON submission to a temporary file, as if it had been uploaded. */
export async function inlineUpload(data: Buffer, name: string): Promise<SubmissionBody> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aa-upload-'));
  const target = path.join(dir, 'upload');
  await writeFile(target, data);
  return {
    fields: {},
    upload: { path: target, originalName: safeName(name), size: data.length },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// busboy hands a part with an empty file name over as a plain field, so both arrive here.
function noFileName(field: string): DomainError {
  return new DomainError('invalid_body', `${field}: send the input as a file part with a file name`, [
    { path: field, message: 'send the input as a file part with a file name' },
  ]);
}

// Only the base name is kept, and nothing that could act as a path or a control character.
function safeName(filename: string | undefined): string {
  const base = path
    .basename(filename ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
    .replace(/[\u0000-\u001f/\\]/g, '_')
    .slice(0, 255);
  return base === '' || base === '.' || base === '..' ? 'input' : base;
}
