import { DomainError } from '../domain/domain-error.ts';
import { readMultipartBody, type SubmissionBody } from '../api/read-submission-body.ts';
import type { AaContext } from './aa-routing.ts';
import { unsupportedMediaType } from './aa-errors.ts';

// Room for the form fields and boundaries around the upload itself.
const MULTIPART_OVERHEAD = 1024 * 1024;
// A form-urlencoded body carries only fields (no file), so it stays small.
const MAX_FORM_BYTES = 1024 * 1024;

/**
 * A_A's parsers: multipart (streamed, the upload to a temporary file) or form-urlencoded. Any
 * other body is 415 with DRF's message; no body at all reads as no fields.
 */
export async function readFacadeBody(c: AaContext, maxUploadBytes: number): Promise<SubmissionBody> {
  const type = c.req.header('content-type') ?? '';
  const declared = Number(c.req.header('content-length') ?? '0');
  if (type.startsWith('multipart/form-data')) {
    if (declared > maxUploadBytes + MULTIPART_OVERHEAD) tooLarge(maxUploadBytes + MULTIPART_OVERHEAD);
    return readMultipartBody(c.req.raw, maxUploadBytes);
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    if (declared > MAX_FORM_BYTES) tooLarge(MAX_FORM_BYTES);
    const text = await c.req.text();
    if (Buffer.byteLength(text) > MAX_FORM_BYTES) tooLarge(MAX_FORM_BYTES);
    return { fields: Object.fromEntries(new URLSearchParams(text)), upload: null, cleanup: async () => {} };
  }
  if (type === '' && declared === 0 && !c.req.header('transfer-encoding')) {
    return { fields: {}, upload: null, cleanup: async () => {} };
  }
  throw unsupportedMediaType(type);
}

function tooLarge(limit: number): never {
  throw new DomainError('payload_too_large', `The request is larger than ${limit} bytes`);
}
