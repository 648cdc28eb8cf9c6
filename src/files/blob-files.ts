import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, link, mkdir, mkdtemp, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { hashLocalFile } from './chunked-bytes.ts';
import type { Readable } from 'node:stream';

/*
 * The bytes of blobs, on disk by content: `<store>/<first two hex digits>/<sha256>`. PostgreSQL
 * keeps which blobs exist and who holds them (blob-store.ts); this file only moves bytes. A file
 * is written under a temporary name in `<store>/tmp` while it is hashed, flushed to disk, then
 * linked to its address, so an address only ever names complete bytes: two writers of the same
 * bytes, or a writer and a file left by a crash, agree on its content.
 */

/** A file in the store's temporary area whose sha256 and size are known, ready to get its address. */
export interface SpooledBytes {
  path: string;
  sha256: string;
  size: number;
}

export class FileTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`file is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/** Big enough that a 1 GiB file is a thousand reads, small enough to stay out of the way of memory figures. */
const READ_BYTES = 1024 * 1024;

export function blobFilePath(storeDir: string, sha256: string): string {
  return path.join(storeDir, sha256.slice(0, 2), sha256);
}

/** Where spooled files wait; on the store's file system, so placing one is a link, not a copy. */
export function spoolArea(storeDir: string): string {
  return path.join(storeDir, 'tmp');
}

/** A fresh directory in the spool area for a writer that needs more than one temporary file. */
export async function newSpoolDir(storeDir: string, prefix: string): Promise<string> {
  await mkdir(spoolArea(storeDir), { recursive: true });
  return mkdtemp(path.join(spoolArea(storeDir), prefix));
}

/**
 * Writes `source` to a new temporary file in the store while hashing it, in one pass, and flushes
 * it to disk before returning, so a crash after it is placed cannot leave a short file. Each chunk
 * is written before the next is asked for: a source may reuse its buffer (readFileInChunks does).
 */
export async function spoolBytes(
  storeDir: string,
  source: AsyncIterable<Uint8Array> | Readable,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<SpooledBytes> {
  await mkdir(spoolArea(storeDir), { recursive: true });
  const target = path.join(spoolArea(storeDir), randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(target, 'wx');
  try {
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
      size += chunk.byteLength;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
      hash.update(chunk);
      for (let written = 0; written < chunk.byteLength;) {
        written += (await handle.write(chunk, written, chunk.byteLength - written)).bytesWritten;
      }
    }
    await handle.datasync();
  } catch (err) {
    await handle.close();
    await rm(target, { force: true });
    throw err;
  }
  await handle.close();
  return { path: target, sha256: hash.digest('hex'), size };
}

/**
 * Copies a local file into the store's temporary area (copy_file_range: the kernel moves the
 * bytes) and hashes the copy, which no one else can change, so its sha256 is that of what is stored.
 */
export async function spoolCopy(storeDir: string, file: string): Promise<SpooledBytes> {
  await mkdir(spoolArea(storeDir), { recursive: true });
  const target = path.join(spoolArea(storeDir), randomUUID());
  try {
    await copyFile(file, target);
    await flushToDisk(target);
    return { path: target, ...(await hashLocalFile(target)) };
  } catch (err) {
    await rm(target, { force: true });
    throw err;
  }
}

/** fdatasync: the bytes are on disk before anything names them. */
export async function flushToDisk(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/**
 * Links spooled bytes to their address. The spooled name stays for its owner to remove. An address
 * that already holds a file holds these very bytes (only complete files are linked), so it is kept.
 * Stored files are read-only: a hard link to them (an upload's temporary file) cannot change them.
 */
export async function placeSpooled(storeDir: string, spooled: SpooledBytes): Promise<void> {
  const target = blobFilePath(storeDir, spooled.sha256);
  await mkdir(path.dirname(target), { recursive: true });
  await chmod(spooled.path, 0o444);
  try {
    await link(spooled.path, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function removeBlobFile(storeDir: string, sha256: string): Promise<void> {
  await unlink(blobFilePath(storeDir, sha256)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

export function readBlobFile(storeDir: string, sha256: string): Readable {
  return createReadStream(blobFilePath(storeDir, sha256), { highWaterMark: READ_BYTES });
}

/** Up to `maxBytes` from the start of a stored file. */
export async function readBlobFilePrefix(storeDir: string, sha256: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await open(blobFilePath(storeDir, sha256), 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(maxBytes), 0, maxBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Copies a stored file to `target` (copy_file_range, no bytes through this process), writable by
 * its step as a file it wrote itself would be; the stored bytes stay as they are.
 */
export async function copyBlobFile(storeDir: string, sha256: string, target: string): Promise<void> {
  await copyFile(blobFilePath(storeDir, sha256), target);
  await chmod(target, 0o644);
}

/** Removes temporary files and directories older than `ageMs`: writes a crashed process left behind. */
export async function sweepSpoolArea(storeDir: string, ageMs: number): Promise<number> {
  const area = spoolArea(storeDir);
  const names = await readdir(area).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const cutoff = Date.now() - ageMs;
  let removed = 0;
  for (const name of names) {
    const entry = path.join(area, name);
    const info = await stat(entry).catch(() => null);
    if (!info || info.mtimeMs >= cutoff) continue;
    await rm(entry, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
