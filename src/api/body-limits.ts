import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';
import { AppError } from './app-error.ts';

/** Room for the form fields and boundaries around the upload itself. */
export const MULTIPART_OVERHEAD = 1024 * 1024;

/**
 * How much of an over-limit body is read and thrown away before the 413, so a client that sends
 * its whole body before reading the answer sees the 413 rather than a reset connection. Past it
 * the connection is closed without reading on.
 */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

/** The largest JSON submission: base64 input plus the other fields; no text body the API reads is larger. */
export function maxJsonSubmissionBytes(maxUploadBytes: number): number {
  return Math.ceil(maxUploadBytes * 1.4) + MULTIPART_OVERHEAD;
}

/** The largest body any route accepts with this Content-Type: what `Expect: 100-continue` is answered by. */
export function maxBodyBytes(contentType: string, maxUploadBytes: number): number {
  return contentType.startsWith('multipart/form-data')
    ? maxUploadBytes + MULTIPART_OVERHEAD
    : maxJsonSubmissionBytes(maxUploadBytes);
}

/** @hono/node-server passes the Node request as c.env.incoming; app.request() in tests does not. */
export function nodeRequest(c: Context<AppEnv>): Readable | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof Readable ? incoming : undefined;
}

/** Reads the rest of the body and drops it; false when it ran past `limit` (reading stops there). */
function discardBody(c: Context<AppEnv>, limit: number): Promise<boolean> {
  // The web body when nothing holds it (it may have buffered part of the Node request), else the Node request.
  const web = c.req.raw.body;
  const stream = web && !web.locked ? Readable.fromWeb(web as WebReadableStream) : (nodeRequest(c) ?? null);
  if (!stream || stream.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ended: boolean) => {
      stream.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onFail);
      if (!ended) stream.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) finish(false);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(false);
    stream.on('data', onData).once('end', onEnd).once('error', onFail).once('close', onFail);
    stream.resume();
  });
}

/**
 * Answers a body over `limit` with 413 once the client has finished sending it (up to
 * DISCARD_LIMIT_BYTES), then closes the connection so nothing of it is read as a next request.
 */
export async function refuseTooLarge(c: Context<AppEnv>, limit: number, what = 'The request'): Promise<never> {
  await discardBody(c, DISCARD_LIMIT_BYTES);
  c.header('Connection', 'close');
  throw new AppError(413, 'payload_too_large', `${what} is larger than ${limit} bytes`);
}

/** 413 before reading anything more when the declared Content-Length is already over `limit`. */
export async function checkDeclaredSize(c: Context<AppEnv>, limit: number): Promise<void> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) await refuseTooLarge(c, limit);
}
