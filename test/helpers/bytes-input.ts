import { runValidator, type ValidatorInput } from '../../src/validators/run-validators.ts';
import type { Validator } from '../../src/validators/validator.ts';

/** Bytes in memory as a validator reads an upload: in chunks of `chunkBytes`, or their first bytes. */
export function bytesInput(bytes: Uint8Array, chunkBytes = 64 * 1024): ValidatorInput {
  return {
    size: bytes.length,
    async *chunks() {
      for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.slice(at, at + chunkBytes);
    },
    prefix: async (maxBytes) => bytes.slice(0, maxBytes),
  };
}

/**
 * A validator's answer on bytes, run as the server runs it. The bytes are fed in chunks of each
 * size given, and every chunking must give the same answer (chunk edges must not matter).
 */
export async function validates(validator: Validator, bytes: Uint8Array, chunkSizes = [1, 7, 64 * 1024]) {
  const answers = await Promise.all(chunkSizes.map((size) => runValidator(validator, bytesInput(bytes, size))));
  if (new Set(answers).size !== 1) throw new Error(`answers differ by chunk size ${chunkSizes}: ${answers}`);
  return answers[0]!;
}
