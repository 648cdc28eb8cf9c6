import { scanUtf8, type TextScanner } from './scan-utf8.ts';
import type { StreamValidator } from './validator.ts';

const ATOM_RECORD = /ATOM\s+\d+/i;
// The end of a text that a following piece could complete into an ATOM record.
const PARTIAL_RECORD = /A(?:T(?:O(?:M\s*)?)?)?$/i;

/** Looks for an ATOM record across pieces, keeping only the few characters that could start one. */
class AtomRecordScanner implements TextScanner {
  private found = false;
  private tail = '';

  push(text: string): void {
    if (this.found) return;
    const joined = this.tail + text;
    this.found = ATOM_RECORD.test(joined);
    const partial = joined.match(PARTIAL_RECORD)?.[0] ?? '';
    // "ATOM" and any run of whitespace after it behave alike: one space stands for the run.
    this.tail = partial.length > 4 ? `${partial.slice(0, 4)} ` : partial;
  }

  // Every byte must still be read: text that is not UTF-8 refuses, wherever it is.
  readonly settled = false;

  verdict(): boolean {
    return this.found;
  }
}

/** A_A's check: UTF-8 text with an ATOM record anywhere. */
export const pdbFile: StreamValidator = Object.assign(
  (chunks: AsyncIterable<Uint8Array>) => scanUtf8(chunks, new AtomRecordScanner()),
  { stream: true as const },
);
