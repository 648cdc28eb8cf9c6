import { seq } from './seq-validator.ts';

const text = (s: string) => new TextEncoder().encode(s);
const PROTEIN = 'MKVLAAGIVGLLLAACSSTPEKPQEWHKDLPAGWQLTAEQHAKAEAAAR';
const OTHER = 'MKVLAAGIVALLLAACSSTPEKPQEWHKDLPAGWQLTAEQHAKAEAAAR';

describe('seq validator (A_A FASTA and MSA rules)', () => {
  it('accepts one protein sequence with or without a header', () => {
    expect(seq(text(`>5ptpA\n${PROTEIN.slice(0, 25)}\n${PROTEIN.slice(25)}\n`))).toBe(true);
    expect(seq(text(PROTEIN))).toBe(true);
    expect(seq(text(`;comment\n>x\r\n${PROTEIN}\r\n`))).toBe(true);
  });

  it('accepts an alignment of equal-length sequences with gaps', () => {
    const gapped = PROTEIN.slice(0, 10) + '--' + PROTEIN.slice(12);
    expect(seq(text(`>a\n${PROTEIN}\n>b\n${OTHER}\n>c\n${gapped}\n`))).toBe(true);
  });

  it('refuses a header alone, empty data and short sequences', () => {
    expect(seq(text('>5ptpA\n'))).toBe(false);
    expect(seq(new Uint8Array())).toBe(false);
    expect(seq(text('>x\nMKVLAAGIVG\n'))).toBe(false);
    expect(seq(text(`>x\n${PROTEIN.repeat(40)}\n`))).toBe(false);
  });

  it('refuses nucleotides and letters that are not amino acids', () => {
    expect(seq(text(`>dna\n${'ACGTTGCA'.repeat(10)}\n`))).toBe(false);
    expect(seq(text(`>x\n${PROTEIN}B\n`))).toBe(false);
    expect(seq(text(`>x\n${PROTEIN} \n`))).toBe(false);
  });

  it('refuses alignments with unequal lengths, empty members, bad letters or text before the first header', () => {
    expect(seq(text(`>a\n${PROTEIN}\n>b\n${OTHER}AA\n`))).toBe(false);
    expect(seq(text(`>a\n>b\n${PROTEIN}\n`))).toBe(false);
    expect(seq(text(`>a\n${PROTEIN}\n>b\n${'BB' + OTHER.slice(2)}\n`))).toBe(false);
    expect(seq(text(`${PROTEIN}\n>a\n${PROTEIN}\n>b\n${OTHER}\n`))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 instead of throwing', () => {
    expect(seq(new Uint8Array([0x3e, 0x61, 0x0a, 0xc3, 0x28]))).toBe(false);
  });
});
