import { validates } from '../../test/helpers/bytes-input.ts';
import { runValidator } from './run-validators.ts';
import { seq } from './seq-validator.ts';

const text = (s: string) => new TextEncoder().encode(s);
const PROTEIN = 'MKVLAAGIVGLLLAACSSTPEKPQEWHKDLPAGWQLTAEQHAKAEAAAR';
const OTHER = 'MKVLAAGIVALLLAACSSTPEKPQEWHKDLPAGWQLTAEQHAKAEAAAR';

describe('seq validator (A_A FASTA and MSA rules)', () => {
  it('accepts one protein sequence with or without a header', async () => {
    expect(await validates(seq, text(`>5ptpA\n${PROTEIN.slice(0, 25)}\n${PROTEIN.slice(25)}\n`))).toBe(true);
    expect(await validates(seq, text(PROTEIN))).toBe(true);
    expect(await validates(seq, text(`;comment\n>x\r\n${PROTEIN}\r\n`))).toBe(true);
  });

  it('accepts an alignment of equal-length sequences with gaps', async () => {
    const gapped = PROTEIN.slice(0, 10) + '--' + PROTEIN.slice(12);
    expect(await validates(seq, text(`>a\n${PROTEIN}\n>b\n${OTHER}\n>c\n${gapped}\n`))).toBe(true);
  });

  it('refuses a header alone, empty data and short sequences', async () => {
    expect(await validates(seq, text('>5ptpA\n'))).toBe(false);
    expect(await validates(seq, new Uint8Array())).toBe(false);
    expect(await validates(seq, text('>x\nMKVLAAGIVG\n'))).toBe(false);
    expect(await validates(seq, text(`>x\n${PROTEIN.repeat(40)}\n`))).toBe(false);
  });

  it('refuses nucleotides and letters that are not amino acids', async () => {
    expect(await validates(seq, text(`>dna\n${'ACGTTGCA'.repeat(10)}\n`))).toBe(false);
    expect(await validates(seq, text(`>x\n${PROTEIN}B\n`))).toBe(false);
    expect(await validates(seq, text(`>x\n${PROTEIN} \n`))).toBe(false);
  });

  it('refuses alignments with unequal lengths, empty members, bad letters or text before the first header', async () => {
    expect(await validates(seq, text(`>a\n${PROTEIN}\n>b\n${OTHER}AA\n`))).toBe(false);
    expect(await validates(seq, text(`>a\n>b\n${PROTEIN}\n`))).toBe(false);
    expect(await validates(seq, text(`>a\n${PROTEIN}\n>b\n${'BB' + OTHER.slice(2)}\n`))).toBe(false);
    expect(await validates(seq, text(`${PROTEIN}\n>a\n${PROTEIN}\n>b\n${OTHER}\n`))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 instead of throwing', async () => {
    expect(await validates(seq, new Uint8Array([0x3e, 0x61, 0x0a, 0xc3, 0x28]))).toBe(false);
  });
});

// The whole-text implementation this streaming one replaced: the streaming one must agree with it.
// eslint-disable-next-line no-control-regex -- the file/group/record separators are line breaks to the implementation under test
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
function wholeTextSeq(input: string): boolean {
  const isProtein = (s: string) => {
    if (s.length < 30 || s.length > 1500) return false;
    const nucleotides = [...s].filter((ch) => 'ACGTUNacgtun'.includes(ch)).length;
    return nucleotides / s.length < 0.95 && !/[^ACDEFGHIKLMNPQRSTVWYX-]/i.test(s);
  };
  const lines = input.split(LINE_BREAK);
  if (lines.at(-1) === '') lines.pop();
  if ((input.match(/>/g)?.length ?? 0) <= 1) {
    return isProtein(lines.filter((line) => !line.startsWith('>') && !line.startsWith(';')).join(''));
  }
  const seqs: string[] = [];
  for (const line of lines) {
    if (line.startsWith('>')) seqs.push('');
    else if (seqs.length === 0) return false;
    else seqs[seqs.length - 1] += line;
  }
  const residues = seqs.reduce((sum, s) => sum + s.length, 0);
  return residues === seqs[0]!.length * seqs.length && seqs.every(isProtein);
}

// A seeded generator, so a failure names a case that can be replayed.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '>',
  '>a',
  ';c',
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  '\v',
  '\u2028',
  '\x85',
  ' ',
  'B',
  'ACGT'.repeat(10),
  '-',
  PROTEIN,
  OTHER,
  PROTEIN.slice(0, 10),
  PROTEIN.repeat(10),
  'mkvl',
  '\uFEFF',
  'é',
  'ſ',
  '\u212a',
  '\u2029',
  '😀',
  '\x1d',
];

describe('seq validator, read in pieces', () => {
  it('agrees with the whole-text rules on 1500 generated inputs and every chunking', async () => {
    const next = random(12);
    for (let n = 0; n < 1500; n++) {
      let input = '';
      const count = Math.floor(next() * 12);
      for (let i = 0; i < count; i++) input += PIECES[Math.floor(next() * PIECES.length)];
      const expected = wholeTextSeq(input.replace(/^\uFEFF/, ''));
      // The case number in a failure names the input to replay.
      expect([n, await validates(seq, text(input), [3, 17, 1 << 20])]).toEqual([n, expected]);
    }
  });

  it('accepts an alignment of many records, however the bytes are chunked', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => `>r${i}\n${PROTEIN.slice(0, 25)}\r\n${PROTEIN.slice(25)}\n`);
    expect(await validates(seq, text(records.join('')), [5, 4096])).toBe(true);
    expect(await validates(seq, text(records.join('') + `>last\n${PROTEIN}A\n`), [5, 4096])).toBe(false);
  });

  it('stops reading once no more text can make the input valid', async () => {
    let chunksRead = 0;
    async function* endless() {
      for (;;) {
        chunksRead++;
        yield text(`>x\n${'Z'.repeat(100)}\n`);
      }
    }
    const input = { size: Number.MAX_SAFE_INTEGER, chunks: endless, prefix: async () => new Uint8Array() };
    expect(await runValidator(seq, input)).toBe(false);
    expect(chunksRead).toBeLessThan(3);
  });
});
