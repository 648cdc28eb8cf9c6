/** What a validator is told about the upload besides its bytes. */
export interface UploadFacts {
  /** The whole upload's size in bytes, also when the validator sees only its first bytes. */
  size: number;
}

/**
 * Looks at the first `maxBytes` of the upload (all of it when smaller; DEFAULT_MAX_BYTES when not
 * declared) and says whether the job may accept it.
 * @example export const png = Object.assign((bytes: Uint8Array) => bytes[0] === 0x89, { maxBytes: 8 });
 */
export type PrefixValidator = ((bytes: Uint8Array, upload: UploadFacts) => boolean | Promise<boolean>) & {
  maxBytes?: number;
  stream?: false;
};

/**
 * Reads the whole upload chunk by chunk, never all of it at once; it may stop reading early.
 * @example export const text = Object.assign(async (chunks: AsyncIterable<Uint8Array>) => {...}, { stream: true as const });
 */
export type StreamValidator = ((chunks: AsyncIterable<Uint8Array>, upload: UploadFacts) => Promise<boolean>) & {
  stream: true;
};

/** Anything but `true` (a throw included) refuses the upload. */
export type Validator = PrefixValidator | StreamValidator;

/** Every validator a job may name, by name. */
export type ValidatorRegistry = ReadonlyMap<string, Validator>;

/** Validator names are the exported function names of their modules. */
export const VALIDATOR_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const MiB = 1024 * 1024;
/** What a prefix validator that declares no `maxBytes` sees of an upload. */
export const DEFAULT_MAX_BYTES = 16 * MiB;
/** The most a prefix validator may declare: reading more takes a stream validator. */
export const MAX_PREFIX_BYTES = 64 * MiB;
