import { gif, jpeg, png } from './image-validators.ts';
import { pdbFile } from './pdb-validator.ts';
import { seq } from './seq-validator.ts';
import type { Validator } from './validator.ts';

/** The validators A_A shipped, under A_A's names, so imported jobs keep theirs. */
export const BUILTIN_VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  // Accepts anything, so it reads nothing.
  ['none', Object.assign(() => true, { maxBytes: 0 })],
  ['png', png],
  ['gif', gif],
  ['jpeg', jpeg],
  ['pdb_file', pdbFile],
  ['seq', seq],
]);
