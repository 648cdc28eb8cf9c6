import { capturedLogger } from '../helpers/captured-logs.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const { logger, lines } = capturedLogger('api');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, undefined, logger);
});

afterAll(async () => {
  await t.close();
});

describe('request logs', () => {
  it('writes one JSON line per request with its id, method, route, status and duration', async () => {
    lines.length = 0;
    const res = await t.app.request('/healthz', { headers: { 'x-request-id': 'req-42' } });

    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      name: 'api',
      msg: 'request',
      requestId: 'req-42',
      method: 'GET',
      route: '/healthz',
      status: 200,
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
  });

  it('logs unmatched requests with their path and a generated request id', async () => {
    lines.length = 0;
    const res = await t.app.request('/no/such/thing', { method: 'POST' });

    expect(lines).toEqual([
      expect.objectContaining({ method: 'POST', route: 'unmatched', path: '/no/such/thing', status: 404 }),
    ]);
    expect(lines[0]?.requestId).toBe(res.headers.get('x-request-id'));
    expect(lines[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
