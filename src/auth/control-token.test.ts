import { controlTokenMatches, controlTokenSha256, makeControlToken } from './control-token.ts';

describe('control tokens', () => {
  it('makes a base64url token of at least 128 random bits and stores only its sha256', () => {
    const { token, sha256 } = makeControlToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256).toBe(controlTokenSha256(token));
    expect(sha256).not.toContain(token);
  });

  it('makes a different token every time', () => {
    expect(makeControlToken().token).not.toBe(makeControlToken().token);
  });

  it('matches the token whose hash is stored, and nothing else', () => {
    const { token, sha256 } = makeControlToken();
    expect(controlTokenMatches(token, sha256)).toBe(true);
    expect(controlTokenMatches(makeControlToken().token, sha256)).toBe(false);
    expect(controlTokenMatches(`${token}x`, sha256)).toBe(false);
    expect(controlTokenMatches('', sha256)).toBe(false);
  });

  it('matches nothing when no token is offered or none is stored', () => {
    const { token, sha256 } = makeControlToken();
    expect(controlTokenMatches(undefined, sha256)).toBe(false);
    expect(controlTokenMatches(token, null)).toBe(false);
  });

  it('refuses, without throwing, a stored hash that is not 64 hex digits', () => {
    expect(controlTokenMatches('anything', 'not-hex')).toBe(false);
  });
});
