import { checkUrlAddress, isNonPublicAddress, urlProblem } from './url-address-policy.ts';

describe('url address policy', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '0.0.0.0',
  ])('refuses %s', (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows the public address %s', (address) =>
    expect(isNonPublicAddress(address)).toBe(false),
  );

  it('refuses what is not an http(s) URL, or carries credentials', () => {
    expect(urlProblem('file:///etc/passwd')).toMatch(/http/);
    expect(urlProblem('https://user:pw@example.org/x')).toMatch(/credentials/);
    expect(urlProblem('not a url')).toMatch(/not a URL/);
    expect(urlProblem('https://example.org/data.csv')).toBeNull();
  });

  it('refuses a name that resolves to 127.0.0.1 unless private addresses are allowed', async () => {
    expect(await checkUrlAddress('http://localhost:8080/x', false)).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(await checkUrlAddress('http://localhost:8080/x', true)).toBeNull();
  });
});
