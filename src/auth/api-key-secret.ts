import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^aa_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewKeySecret {
  /** The whole key, shown once to its owner and never stored. */
  key: string;
  /** The public part that finds the row; safe to log and list. */
  prefix: string;
  hash: string;
}

/** A key is `aa_<12 hex prefix>_<256 random bits>`; only its sha256 is stored. */
export function generateApiKey(): NewKeySecret {
  const prefix = randomBytes(6).toString('hex');
  const key = `aa_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The prefix of a well-formed key, or null for anything else. */
export function apiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Compares in constant time whatever the lengths, by comparing digests. */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Compares a presented key's hash with a stored hex hash in constant time. */
export function hashMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
