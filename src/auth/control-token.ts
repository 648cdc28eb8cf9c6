import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface NewControlToken {
  /** Given once to the anonymous submitter in the POST's answer; never stored. */
  token: string;
  /** sha256 hex of the token: what the submission row keeps. */
  sha256: string;
}

/**
 * A control token: 256 random bits, base64url. It lets an anonymous submitter cancel or delete
 * what it submitted, where the id alone only lets anyone read it (as in A_A).
 */
export function makeControlToken(): NewControlToken {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: controlTokenSha256(token) };
}

export function controlTokenSha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Whether an offered token is the one whose hash is stored. Digests of equal length are compared in
 * constant time, so the answer time says nothing about how much of a guess was right.
 */
export function controlTokenMatches(offered: string | undefined, storedSha256: string | null): boolean {
  if (offered === undefined || storedSha256 === null) return false;
  const a = createHash('sha256').update(offered).digest();
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
