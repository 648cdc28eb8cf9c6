import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface DownloadCheck {
  size: number;
  sha256: string;
  verified: boolean;
}

/**
 * Streams a response body to target through a `.part` file, hashing as it goes; the file gets
 * its name only when size and sha256 match what the API recorded, and is removed when not.
 */
export async function saveVerified(
  body: ReadableStream<Uint8Array> | null | undefined,
  target: string,
  expected: { size: number; sha256: string | null },
): Promise<DownloadCheck> {
  const part = `${target}.part`;
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    // An empty file's answer (Content-Length: 0) comes without a body.
    const bytes = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(bytes, measure, createWriteStream(part));
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
  const sha256 = hash.digest('hex');
  const verified = expected.sha256 !== null && sha256 === expected.sha256 && size === expected.size;
  if (verified) await rename(part, target);
  else await rm(part, { force: true });
  return { size, sha256, verified };
}
