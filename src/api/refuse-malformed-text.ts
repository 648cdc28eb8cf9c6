import type { Context, MiddlewareHandler } from 'hono';
import { invalidUtf8Offset, type TextProblemAt } from '../domain/well-formed-text.ts';
import { FACADE_PREFIX } from '../facade/facade-routes.ts';
import { toAaError } from '../facade/aa-errors.ts';
import type { AppEnv } from './app-env.ts';
import type { AppError } from './app-error.ts';
import { refuseTooLarge } from './body-limits.ts';
import { errorBody } from './error-handler.ts';
import { invalidText } from './invalid-text-error.ts';
import { urlPathProblem, parseFormStrict } from './strict-url-text.ts';

// Multipart bodies carry binary files; their fields and file names are checked as they are parsed.
const isMultipart = (type: string) => type.startsWith('multipart/');

/**
 * The path, the query string and the bytes of every text body (JSON, YAML, forms: every body
 * but multipart) must be well-formed before any route sees them: JSON.parse and TextDecoder would
 * silently turn bytes that are not UTF-8 into U+FFFD. NUL and unpaired surrogates written as
 * JSON or YAML escapes are refused by the `Text()` schema, which sees the decoded strings.
 * Bodies declared larger than `maxTextBodyBytes` are left to the routes' own 413; a chunked body
 * that runs past it gets the 413 here.
 */
export function refuseMalformedText(maxTextBodyBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const problem = urlProblem(c.req.url) ?? (await bodyProblem(c, maxTextBodyBytes));
    if (problem) return answer(c, invalidText(problem));
    await next();
  };
}

function urlProblem(rawUrl: string): TextProblemAt | null {
  const url = new URL(rawUrl);
  const path = urlPathProblem(url.pathname);
  if (path) return path;
  const query = parseFormStrict(url.search.slice(1), 'query.');
  return 'problem' in query ? query.problem : null;
}

async function bodyProblem(c: Context<AppEnv>, maxTextBodyBytes: number): Promise<TextProblemAt | null> {
  const body = c.req.raw.body;
  if (!body || isMultipart(c.req.header('content-type') ?? '')) return null;
  if (Number(c.req.header('content-length') ?? '0') > maxTextBodyBytes) return null;
  const bytes = await readAtMost(body, maxTextBodyBytes);
  if (!bytes) return refuseTooLarge(c, maxTextBodyBytes);
  // The routes read the body again, from memory, as hono/body-limit hands it on.
  c.req.raw = new Request(c.req.raw, { body: bytes });
  const offset = invalidUtf8Offset(bytes);
  return offset === null ? null : { path: 'body', message: `is not valid UTF-8 (byte ${offset})` };
}

/** The whole body, or null as soon as it runs past `limit` (a chunked body declares no length). */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks, size);
      size += value.length;
      if (size > limit) return null;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

function answer(c: Context<AppEnv>, err: AppError): Response {
  if (c.req.path.startsWith(FACADE_PREFIX)) {
    const aa = toAaError(err)!;
    return c.json(aa.body as object, aa.status);
  }
  return c.json(errorBody(err.code, err.message, err.details), err.status);
}
