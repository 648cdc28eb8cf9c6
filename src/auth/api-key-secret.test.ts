import { apiKeyPrefix, generateApiKey, hashApiKey, hashMatches, secretsEqual } from './api-key-secret.ts';

describe('api key secrets', () => {
  it('generates keys whose prefix can be read back and whose hash matches', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(apiKeyPrefix(key)).toBe(prefix);
    expect(hash).toBe(hashApiKey(key));
    expect(hashMatches(key, hash)).toBe(true);
  });

  it('generates a different key every time', () => {
    expect(generateApiKey().key).not.toBe(generateApiKey().key);
  });

  it('reads no prefix from a malformed key', () => {
    expect(apiKeyPrefix('not-a-key')).toBeNull();
    expect(apiKeyPrefix(`aa_0123456789ab_short`)).toBeNull();
  });

  it('rejects a key that differs from the stored hash', () => {
    const { hash } = generateApiKey();
    expect(hashMatches(generateApiKey().key, hash)).toBe(false);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('a-bootstrap-token-123', 'a-bootstrap-token-123')).toBe(true);
    expect(secretsEqual('short', 'a-bootstrap-token-123')).toBe(false);
  });
});
