// Reads PostgreSQL's binary COPY format for a single bytea column, yielding each value's bytes as
// slices of the incoming network buffers: no hex decoding and no copy of the data.

const HEADER_BYTES = 11 + 4 + 4;

/** Yields the bytes of every row's one field, in order, from a `COPY … TO STDOUT (FORMAT binary)` stream. */
export async function* copyBinaryValues(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  // Bytes of the current value still to come; -1 while reading a row header.
  let remaining = -1;
  for await (const piece of stream) {
    let data = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (data.length > 0) {
      if (remaining > 0) {
        const take = Math.min(remaining, data.length);
        yield data.subarray(0, take);
        data = data.subarray(take);
        remaining -= take;
        if (remaining === 0) remaining = -1;
        continue;
      }
      // Headers are tiny: gather them across pieces before parsing.
      pending = pending.length ? Buffer.concat([pending, data]) : data;
      data = Buffer.alloc(0);
      if (!headerDone) {
        if (pending.length < HEADER_BYTES) continue;
        const extension = pending.readInt32BE(15);
        if (pending.length < HEADER_BYTES + extension) continue;
        pending = pending.subarray(HEADER_BYTES + extension);
        headerDone = true;
      }
      if (pending.length < 2) continue;
      const fields = pending.readInt16BE(0);
      if (fields === -1) return;
      if (fields !== 1) throw new Error(`expected one column per COPY row, got ${fields}`);
      if (pending.length < 6) continue;
      const length = pending.readInt32BE(2);
      data = pending.subarray(6);
      pending = Buffer.alloc(0);
      remaining = length;
      if (remaining === 0) remaining = -1;
    }
  }
}
