import { isUtf8 } from 'node:buffer';
import { z } from '@hono/zod-openapi';

/** The machine code of every refusal of malformed text, in the native API and the facade. */
export const INVALID_TEXT = 'invalid_text';

/**
 * Why a string cannot be stored as text, or null when it can. PostgreSQL text cannot hold NUL,
 * and an unpaired UTF-16 surrogate has no UTF-8 form (it would be stored as U+FFFD).
 */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (!value.isWellFormed()) return 'contains an unpaired surrogate (not valid Unicode)';
  return null;
}

export interface TextProblemAt {
  path: string;
  message: string;
}

/** The first malformed key or string anywhere in parsed JSON or YAML, with its dotted path. */
export function findTextProblem(value: unknown, path = ''): TextProblemAt | null {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findTextProblem(item, join(path, String(i)));
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyMessage = textProblem(key);
      if (keyMessage) return { path: join(path, key), message: `key ${keyMessage}` };
      const found = findTextProblem(item, join(path, key));
      if (found) return found;
    }
  }
  return null;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The offset of the first byte that is not valid UTF-8, or null when every byte is. */
export function invalidUtf8Offset(bytes: Uint8Array): number | null {
  if (isUtf8(bytes)) return null;
  // Everything before the first bad sequence decodes and re-encodes to the same bytes.
  const again = Buffer.from(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  return i;
}

/** The check behind `Text()`, for string formats built otherwise (`z.email().superRefine(refineText)`). */
export function refineText(value: string, ctx: z.RefinementCtx<string>): void {
  const message = textProblem(value);
  if (message) ctx.addIssue({ code: 'custom', message, params: { code: INVALID_TEXT } });
}

/**
 * An object of any JSON (a JSON Schema, json parameter values) whose keys and strings, at any depth,
 * must be well-formed text: it is stored as jsonb, which cannot hold a NUL. The issue names the path.
 */
export function WellFormedJsonObject() {
  return z.record(Text(), z.unknown()).superRefine((value, ctx) => {
    const problem = findTextProblem(value);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: problem.path.split('.'),
        message: problem.message,
        params: { code: INVALID_TEXT },
      });
    }
  });
}

/**
 * A string the API may store: the one string schema every request schema builds on. Its issue
 * carries `params.code` so the error handlers answer `invalid_text` rather than `invalid_body`.
 */
export function Text() {
  return z.string().superRefine(refineText);
}

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  params?: unknown;
  issues?: readonly IssueLike[];
  errors?: readonly (readonly IssueLike[])[];
}

/** The first malformed-text refusal among zod issues (record keys and unions nest theirs), with its path. */
export function textIssue(
  issues: readonly IssueLike[],
  prefix: readonly PropertyKey[] = [],
): TextProblemAt | undefined {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if ((issue.params as { code?: unknown } | undefined)?.code === INVALID_TEXT) {
      return { path: path.map(String).join('.'), message: issue.message };
    }
    const nested = [...(issue.issues ? [issue.issues] : []), ...(issue.errors ?? [])];
    for (const inner of nested) {
      const found = textIssue(inner, path);
      if (found) return found;
    }
  }
  return undefined;
}
