import { createHash, randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const AMINO_ACIDS = 'ACDEFGHIKLMNPQRSTVWY';
// A record is 1 KiB: a 16-byte header line, then 16 lines of 62 residues (992 in all, within seq's 30 to 1500).
const RECORD_BYTES = 1024;
const HEADER_DIGITS = 13;
const LINES = 16;
const LINE_RESIDUES = 62;
const BLOCK_BYTES = 1024 * 1024;

function residueLines(): string {
  let lines = '';
  for (let l = 0; l < LINES; l++) {
    for (let r = 0; r < LINE_RESIDUES; r++) lines += AMINO_ACIDS[randomInt(AMINO_ACIDS.length)];
    lines += '\n';
  }
  return lines;
}

/**
 * Writes a FASTA alignment of `bytes` (a multiple of 1 MiB) that A_A's `seq` accepts, one 1 MiB
 * block at a time, so it never sits in memory. Returns its sha256.
 */
export async function writeGeneratedAlignment(file: string, bytes: number): Promise<string> {
  if (bytes % BLOCK_BYTES !== 0) throw new Error('the size must be a multiple of 1 MiB');
  const records = Array.from(
    { length: BLOCK_BYTES / RECORD_BYTES },
    () => `>r${'0'.repeat(HEADER_DIGITS)}\n${residueLines()}`,
  );
  const template = Buffer.from(records.join(''));
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let block = 0; block < bytes / BLOCK_BYTES; block++) {
    const chunk = Buffer.from(template);
    // Each record gets its own number, so no two records of the file are the same.
    for (let r = 0; r < records.length; r++) {
      const number = String(block * records.length + r).padStart(HEADER_DIGITS, '0');
      chunk.write(number, r * RECORD_BYTES + 2, 'latin1');
    }
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}
