import type { Context, MiddlewareHandler } from 'hono';
import { invalidUtf8Offset } from '../domain/well-formed-text.ts';
import type { AppEnv } from './app-env.ts';
import { refuseTooLarge } from './body-limits.ts';
import { invalidText } from './invalid-text-error.ts';

/**
 * Reads a text body (JSON, YAML, a form) of at most `limit` bytes and checks that it is UTF-8:
 * c.req.json() and text() would silently turn bytes that are not into U+FFFD. The routes then
 * read it again from memory, as hono/body-limit hands it on. A chunked body that runs past the
 * limit gets its 413 here; NUL and unpaired surrogates written as escapes are the `Text()`
 * schema's to refuse.
 */
export async function readTextBody(c: Context<AppEnv>, limit: number): Promise<void> {
  const body = c.req.raw.body;
  if (!body || c.req.raw.bodyUsed) return;
  const bytes = await readAtMost(body, limit);
  if (!bytes) return refuseTooLarge(c, limit);
  c.req.raw = new Request(c.req.raw, { body: bytes });
  const offset = invalidUtf8Offset(bytes);
  if (offset !== null) throw invalidText({ path: 'body', message: `is not valid UTF-8 (byte ${offset})` });
}

/** readTextBody as route middleware, for routes whose body zod-openapi parses. */
export function checkTextBody(limit: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await readTextBody(c, limit);
    await next();
  };
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
