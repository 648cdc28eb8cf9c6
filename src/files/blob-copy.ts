import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type postgres from 'postgres';

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Streams chunks into blob_chunks with binary COPY: the bytes go to the server as they are, where
 * an INSERT would hex-encode each chunk into strings and buffers several times its size.
 */
export async function copyChunks(
  sql: postgres.Sql,
  blobId: string,
  chunks: AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  const writable = await sql`copy blob_chunks (blob_id, seq, data) from stdin with (format binary)`.writable();
  const write = async (data: Uint8Array) => {
    if (!writable.write(data)) await once(writable, 'drain');
  };
  const uuid = Buffer.from(blobId.replaceAll('-', ''), 'hex');
  try {
    await write(Buffer.concat([COPY_SIGNATURE, Buffer.alloc(8)]));
    let seq = 0;
    for await (const chunk of chunks) {
      onChunk(chunk);
      // A row: 3 fields, each a 32-bit length then its bytes (uuid, int4 seq, bytea data).
      const head = Buffer.alloc(34);
      head.writeInt16BE(3, 0);
      head.writeInt32BE(16, 2);
      uuid.copy(head, 6);
      head.writeInt32BE(4, 22);
      head.writeInt32BE(seq++, 26);
      head.writeInt32BE(chunk.byteLength, 30);
      await write(head);
      // postgres.js copies what it is given into its own message, so the caller may reuse chunk.
      await write(chunk);
    }
    writable.end(Buffer.from([0xff, 0xff]));
    await finished(writable);
  } catch (err) {
    // Destroying aborts the COPY; its 'error' event must not surface as an unhandled one: err is thrown here.
    writable.on('error', () => {});
    writable.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
