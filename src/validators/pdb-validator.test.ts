import { validates } from '../../test/helpers/bytes-input.ts';
import { pdbFile } from './pdb-validator.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('pdb_file validator', () => {
  it('accepts a PDB file with ATOM records', async () => {
    const pdb =
      'HEADER    HYDROLASE\nATOM      1  N   MET A   1      11.104   6.134  -6.504  1.00  0.00           N\nEND\n';
    expect(await validates(pdbFile, text(pdb))).toBe(true);
    expect(await validates(pdbFile, text('atom 12'))).toBe(true);
  });

  it('refuses FASTA, empty data and ATOM without a serial number', async () => {
    expect(await validates(pdbFile, text('>1iar\nMKVLAAGIVG\n'))).toBe(false);
    expect(await validates(pdbFile, new Uint8Array())).toBe(false);
    expect(await validates(pdbFile, text('ATOM  N'))).toBe(false);
  });

  it('refuses bytes that are not UTF-8 instead of throwing', async () => {
    expect(await validates(pdbFile, new Uint8Array([0x41, 0x54, 0x4f, 0x4d, 0x20, 0x31, 0xff, 0xfe]))).toBe(false);
  });
});

describe('pdb_file validator, read in pieces', () => {
  it('finds an ATOM record split across chunks, however much whitespace it holds', async () => {
    const record = `HEADER\nATOM${' '.repeat(70_000)}17  N\n`;
    expect(await validates(pdbFile, text(record), [1, 3, 4096, 1 << 20])).toBe(true);
    expect(await validates(pdbFile, text(`ATO\nM 1 ATOM${' '.repeat(9000)}N`), [1, 4, 4096])).toBe(false);
  });

  it('still refuses bytes that are not UTF-8 far after the ATOM record', async () => {
    const bytes = new Uint8Array([...text(`ATOM 1\n${'x'.repeat(200_000)}`), 0xff]);
    expect(await validates(pdbFile, bytes, [7, 65_536])).toBe(false);
  });
});
