import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('CORS', () => {
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    open = await createTestApp({ CORS_ORIGINS: 'https://lab.example.org, http://localhost:5173' });
    closed = await createTestApp();
  });
  afterAll(async () => {
    await open.close();
    await closed.close();
  });

  const preflight = (t: TestApp, origin: string) =>
    t.app.request('/api/v1/jobs/x/submissions', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization',
      },
    });

  it('allows a listed origin, for reads, preflights and error answers alike', async () => {
    const read = await open.app.request('/api/v1/jobs', { headers: { Origin: 'https://lab.example.org' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('https://lab.example.org');
    const pre = await preflight(open, 'http://localhost:5173');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('submission-token');
    const refused = await open.app.request('/api/v1/jobs?view=admin', {
      headers: { Origin: 'https://lab.example.org' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://lab.example.org');
  });

  it('sends no CORS header to an origin not listed, nor to any origin by default', async () => {
    const other = await open.app.request('/api/v1/jobs', { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const byDefault = await closed.app.request('/api/v1/jobs', { headers: { Origin: 'https://lab.example.org' } });
    expect(byDefault.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(closed, 'https://lab.example.org')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
