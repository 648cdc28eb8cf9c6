import { copyBinaryValues } from './copy-binary-reader.ts';

function copyStream(values: Buffer[]): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const value of values) {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    head.writeInt32BE(value.length, 2);
    parts.push(head, value);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

async function collect(pieces: Buffer[]): Promise<Buffer> {
  async function* source() {
    yield* pieces;
  }
  const out: Uint8Array[] = [];
  for await (const bytes of copyBinaryValues(source())) out.push(bytes);
  return Buffer.concat(out);
}

describe('copyBinaryValues', () => {
  const values = [Buffer.from('hello '), Buffer.alloc(1000, 7), Buffer.from('world')];
  const whole = copyStream(values);
  const expected = Buffer.concat(values);

  it('yields every value in order from one buffer', async () => {
    expect((await collect([whole])).equals(expected)).toBe(true);
  });

  it('yields the same bytes however the stream is split, even inside headers', async () => {
    for (const size of [1, 2, 3, 5, 7, 64, 333]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < whole.length; i += size) pieces.push(whole.subarray(i, i + size));
      expect((await collect(pieces)).equals(expected)).toBe(true);
    }
  });

  it('yields nothing for a file without chunks', async () => {
    expect((await collect([copyStream([])])).length).toBe(0);
  });

  it('refuses rows with more than one column', async () => {
    const bad = copyStream([Buffer.from('x')]);
    bad.writeInt16BE(2, 19);
    await expect(collect([bad])).rejects.toThrow(/one column/);
  });
});
