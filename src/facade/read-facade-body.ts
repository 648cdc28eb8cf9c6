import { maxBodyBytes, nodeRequest, refuseTooLarge } from '../api/body-limits.ts';
import { invalidText } from '../domain/invalid-text-error.ts';
import { readTextBody } from '../api/read-text-body.ts';
import { readMultipartBody, type SubmissionBody, type UploadLimits } from '../api/read-submission-body.ts';
import type { AaContext } from './aa-routing.ts';
import { unsupportedMediaType } from './aa-errors.ts';
import { parseFormStrict } from '../api/strict-url-text.ts';

// A form-urlencoded body carries only fields (no file), so it stays small.
const MAX_FORM_BYTES = 1024 * 1024;

/**
 * A_A's parsers: multipart (streamed, the upload to a temporary file) or form-urlencoded. Any
 * other body is 415 with DRF's message; no body at all reads as no fields.
 */
export async function readFacadeBody(c: AaContext, limits: UploadLimits): Promise<SubmissionBody> {
  const { maxUploadBytes } = limits;
  const type = c.req.header('content-type') ?? '';
  const declared = Number(c.req.header('content-length') ?? '0');
  if (type.startsWith('multipart/form-data')) {
    const limit = maxBodyBytes(type, maxUploadBytes);
    if (declared > limit) await refuseTooLarge(c, limit);
    return readMultipartBody(c.req.raw, limits, nodeRequest(c));
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    if (declared > MAX_FORM_BYTES) await refuseTooLarge(c, MAX_FORM_BYTES);
    await readTextBody(c, MAX_FORM_BYTES);
    const text = await c.req.text();
    const form = parseFormStrict(text);
    if ('problem' in form) throw invalidText(form.problem);
    return { fields: form.fields, upload: null, cleanup: async () => {} };
  }
  if (type === '' && declared === 0 && !c.req.header('transfer-encoding')) {
    return { fields: {}, upload: null, cleanup: async () => {} };
  }
  throw unsupportedMediaType(type);
}
