/** A validator looks at an upload's bytes and says whether the job may accept it. It must not throw. */
export type Validator = (bytes: Uint8Array) => boolean;

/** Every validator a job may name, by name. */
export type ValidatorRegistry = ReadonlyMap<string, Validator>;

/** Validator names are the exported function names of their modules. */
export const VALIDATOR_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, or null when they are not UTF-8 (A_A crashed there; we just say no). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
