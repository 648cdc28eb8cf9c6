import { decodeUtf8, type Validator } from './validator.ts';

const ATOM_RECORD = /ATOM\s+\d+/i;

/** A_A's check: UTF-8 text with an ATOM record anywhere. */
export const pdbFile: Validator = (bytes) => {
  const text = decodeUtf8(bytes);
  return text !== null && ATOM_RECORD.test(text);
};
