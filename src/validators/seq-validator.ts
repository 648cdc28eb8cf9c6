import { scanUtf8, type TextScanner } from './scan-utf8.ts';
import type { StreamValidator } from './validator.ts';

const MIN_RESIDUES = 30;
const MAX_RESIDUES = 1500;
const GT = 0x3e;
const SEMICOLON = 0x3b;
const CR = 0x0d;
const LF = 0x0a;

// Char-code tables for the hot loop, which reads every character of a possibly huge upload.
const RESIDUE = new Uint8Array(128); // 1: amino-acid letter or gap (/[ACDEFGHIKLMNPQRSTVWYX-]/i), 2: also a nucleotide
for (const ch of 'ACDEFGHIKLMNPQRSTVWYX-') RESIDUE[ch.charCodeAt(0)] = RESIDUE[ch.toLowerCase().charCodeAt(0)] = 1;
for (const ch of 'ACGTUN') RESIDUE[ch.charCodeAt(0)] = RESIDUE[ch.toLowerCase().charCodeAt(0)] = 2;
// The line breaks of Python's str.splitlines(), which A_A used ("\r\n" counts once).
const isLineBreak = (code: number) =>
  (code >= 0x0a && code <= 0x0d) ||
  (code >= 0x1c && code <= 0x1e) ||
  code === 0x85 ||
  code === 0x2028 ||
  code === 0x2029;

/** One protein sequence, read piece by piece: 30 to 1500 residues, not mostly nucleotides, amino-acid letters or gaps only. */
class ProteinSequence {
  length = 0;
  private nucleotides = 0;
  private foreign = false;

  add(text: string, start: number, end: number): void {
    this.length += end - start;
    if (this.hopeless) return;
    let nucleotides = 0;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      const kind = code < 128 ? RESIDUE[code]! : 0;
      if (kind === 0) {
        this.foreign = true;
        return;
      }
      nucleotides += kind - 1;
    }
    this.nucleotides += nucleotides;
  }

  /** No more residues can make it one. */
  get hopeless(): boolean {
    return this.foreign || this.length > MAX_RESIDUES;
  }

  get valid(): boolean {
    return !this.hopeless && this.length >= MIN_RESIDUES && this.nucleotides / this.length < 0.95;
  }
}

type LineKind = 'header' | 'comment' | 'sequence';

/**
 * A_A's `seq` rules in one pass with constant memory. Which rule applies is known only at the end
 * (more than one `>` anywhere makes the text an alignment), so both are followed side by side:
 * one sequence of every line not starting with `>` or `;`, and an alignment of `>`-headed records.
 */
class SeqScanner implements TextScanner {
  private chevrons = 0;
  private line: LineKind | null = null;
  private readonly single = new ProteinSequence();
  private record: ProteinSequence | null = null;
  private records = 0;
  private firstLength: number | null = null;
  private residues = 0;
  private alignmentFailed = false;

  push(text: string): void {
    // A "\r\n" split between pieces reads as two breaks: the empty line between changes no answer
    // (it adds no residues, and before the first header the alignment has failed already).
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === GT) this.chevrons++;
      else if (isLineBreak(code)) {
        this.addToLine(text, start, i);
        this.endLine();
        if (code === CR && text.charCodeAt(i + 1) === LF) i++;
        start = i + 1;
      }
    }
    this.addToLine(text, start, text.length);
  }

  get settled(): boolean {
    const alignmentHopeless = this.alignmentFailed || this.record?.hopeless === true;
    return alignmentHopeless && (this.chevrons > 1 || this.single.hopeless);
  }

  verdict(): boolean {
    if (this.chevrons <= 1) return this.single.valid;
    this.endRecord();
    return !this.alignmentFailed && this.firstLength !== null && this.residues === this.firstLength * this.records;
  }

  /** Part of a line, without its break; a line's first character says what kind it is. */
  private addToLine(text: string, start: number, end: number): void {
    if (start === end) return;
    if (this.line === null) {
      const first = text.charCodeAt(start);
      this.line = first === GT ? 'header' : first === SEMICOLON ? 'comment' : 'sequence';
      if (this.line === 'header') this.startRecord();
      else if (this.record === null) this.alignmentFailed = true;
    }
    if (this.line === 'sequence') this.single.add(text, start, end);
    // In an alignment every line but a header is residues, comments included (A_A's rule).
    if (this.line !== 'header' && this.record) {
      this.record.add(text, start, end);
      this.residues += end - start;
    }
  }

  private endLine(): void {
    // An empty line before the first header spoils an alignment, as any other line there does.
    if (this.line === null && this.record === null) this.alignmentFailed = true;
    this.line = null;
  }

  private startRecord(): void {
    this.endRecord();
    this.record = new ProteinSequence();
    this.records++;
  }

  private endRecord(): void {
    if (!this.record) return;
    if (!this.record.valid) this.alignmentFailed = true;
    this.firstLength ??= this.record.length;
  }
}

/** A_A's `seq`: one FASTA protein sequence (at most one `>`), or an MSA when there are more. */
export const seq: StreamValidator = Object.assign(
  (chunks: AsyncIterable<Uint8Array>) => scanUtf8(chunks, new SeqScanner()),
  { stream: true as const },
);
