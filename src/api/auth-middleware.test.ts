import { presentedKey } from './auth-middleware.ts';

describe('presentedKey', () => {
  it('reads a bearer token', () => {
    expect(presentedKey('Bearer aa_x', undefined)).toBe('aa_x');
    expect(presentedKey('bearer   aa_x ', undefined)).toBe('aa_x');
  });

  it('prefers X-API-Key', () => {
    expect(presentedKey('Bearer one', 'two')).toBe('two');
  });

  it('treats an empty bearer token as presented but empty', () => {
    expect(presentedKey('Bearer', undefined)).toBe('');
  });

  it('ignores other schemes and missing headers', () => {
    expect(presentedKey('Basic dXNlcjpwYXNz', undefined)).toBeUndefined();
    expect(presentedKey(undefined, undefined)).toBeUndefined();
  });
});
