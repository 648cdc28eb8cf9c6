import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';

describe('health routes', () => {
  let ready: TestApp;
  let noTemporal: TestApp;
  let noDatabase: TestApp;

  beforeAll(async () => {
    ready = await createTestApp();
    noTemporal = await createTestApp({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    noDatabase = await createTestApp({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
    });
  });

  afterAll(async () => {
    // One at a time: closing two Temporal connections at once inside jest never settles.
    for (const app of [ready, noTemporal, noDatabase]) await app.close();
  });

  it('answers /healthz while the process is up', async () => {
    const res = await ready.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when PostgreSQL and Temporal are reachable', async () => {
    const res = await ready.app.request('/readyz');
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });

  it('answers /readyz 503 naming Temporal when it is unreachable', async () => {
    const res = await noTemporal.app.request('/readyz');
    expect(res.status).toBe(503);
    const body = await readJson(res);
    expect(body.checks.database).toBe('ok');
    expect(body.checks.temporal).toMatch(/^unavailable/);
  });

  it('answers /readyz 503 naming the database when it is unreachable', async () => {
    const res = await noDatabase.app.request('/readyz');
    expect(res.status).toBe(503);
    const body = await readJson(res);
    expect(body.checks.database).toMatch(/^unavailable/);
    expect(body.checks.temporal).toBe('ok');
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await ready.app.request('/openapi.json');
    expect(doc.status).toBe(200);
    expect((await readJson(doc)).paths['/readyz']).toBeDefined();
    const docs = await ready.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers unknown routes with a 404 in the error shape', async () => {
    const res = await ready.app.request('/nope');
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });
});
