import { decodeUtf8, type Validator } from './validator.ts';

// The line breaks of Python's str.splitlines(), which A_A used.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const NUCLEOTIDES = new Set('ACGTUNacgtun');
const NOT_AMINO_ACID = /[^ACDEFGHIKLMNPQRSTVWYX-]/i;

function splitLines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** One protein sequence: 30 to 1500 residues, not mostly nucleotides, amino-acid letters or gaps only. */
function isProteinSequence(seq: string): boolean {
  if (seq.length < 30 || seq.length > 1500) return false;
  let nucleotides = 0;
  for (const ch of seq) if (NUCLEOTIDES.has(ch)) nucleotides++;
  if (nucleotides / seq.length >= 0.95) return false;
  return !NOT_AMINO_ACID.test(seq);
}

/** Several sequences: all the same length (an alignment), each a protein sequence. */
function isAlignment(lines: string[]): boolean {
  const seqs: string[] = [];
  let residues = 0;
  for (const line of lines) {
    if (line.startsWith('>')) {
      seqs.push('');
    } else if (seqs.length === 0) {
      return false;
    } else {
      seqs[seqs.length - 1] += line;
      residues += line.length;
    }
  }
  const first = seqs[0];
  if (first === undefined || residues !== first.length * seqs.length) return false;
  return seqs.every(isProteinSequence);
}

/** A_A's `seq`: one FASTA protein sequence (at most one `>`), or an MSA when there are more. */
export const seq: Validator = (bytes) => {
  const text = decodeUtf8(bytes);
  if (text === null) return false;
  const lines = splitLines(text);
  if ((text.match(/>/g)?.length ?? 0) > 1) return isAlignment(lines);
  const sequenceLines = lines.filter((line) => !line.startsWith('>') && !line.startsWith(';'));
  return sequenceLines.length > 0 && isProteinSequence(sequenceLines.join(''));
};
