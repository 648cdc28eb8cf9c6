import { pdbFile } from './pdb-validator.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('pdb_file validator', () => {
  it('accepts a PDB file with ATOM records', () => {
    const pdb =
      'HEADER    HYDROLASE\nATOM      1  N   MET A   1      11.104   6.134  -6.504  1.00  0.00           N\nEND\n';
    expect(pdbFile(text(pdb))).toBe(true);
    expect(pdbFile(text('atom 12'))).toBe(true);
  });

  it('refuses FASTA, empty data and ATOM without a serial number', () => {
    expect(pdbFile(text('>1iar\nMKVLAAGIVG\n'))).toBe(false);
    expect(pdbFile(new Uint8Array())).toBe(false);
    expect(pdbFile(text('ATOM  N'))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 instead of throwing', () => {
    expect(pdbFile(new Uint8Array([0x41, 0x54, 0x4f, 0x4d, 0x20, 0x31, 0xff, 0xfe]))).toBe(false);
  });
});
