import { bearer, createTestKey, jsonWith } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

const ADMIN_TOKEN = 'bootstrap-token-for-tests-0123456789';

describe('API keys and authentication', () => {
  let t: TestApp;
  let admin: string;
  let submitter: string;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_TOKEN });
    admin = await createTestKey(t.db, 'admin');
    submitter = await createTestKey(t.db, 'submitter');
  });
  afterAll(() => t.close());

  it('creates a key, shows its secret once, and the key then works', async () => {
    const name = uniqueName('ops');
    const res = await t.app.request('/api/v1/keys', {
      method: 'POST',
      headers: jsonWith(admin),
      body: JSON.stringify({ role: 'submitter', name, description: 'for the portal' }),
    });
    expect(res.status).toBe(201);
    const created = await readJson(res);
    expect(created).toMatchObject({ role: 'submitter', name, description: 'for the portal', revokedAt: null });
    expect(created.key).toMatch(new RegExp(`^aa_${created.prefix}_`));

    const listed = await readJson(await t.app.request('/api/v1/keys', { headers: bearer(admin) }));
    const row = listed.find((k: { id: number }) => k.id === created.id);
    expect(row).toMatchObject({ prefix: created.prefix, name, role: 'submitter' });
    expect(row.key).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const used = await t.app.request('/api/v1/keys', { headers: bearer(created.key) });
    expect(used.status).toBe(403);
  });

  it('stores only a hash of the key', async () => {
    const res = await t.app.request('/api/v1/keys', {
      method: 'POST',
      headers: jsonWith(admin),
      body: '{"role":"admin"}',
    });
    const created = await readJson(res);
    const row = await t.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(row).map(String)).not.toContain(created.key);
    expect(created.name).toBe(`key-${created.prefix}`);
  });

  it('answers 401 unauthorized without a key on admin endpoints', async () => {
    const res = await t.app.request('/api/v1/keys');
    expect(res.status).toBe(401);
    expect((await readJson(res)).error.code).toBe('unauthorized');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 403 forbidden with a submitter key', async () => {
    const res = await t.app.request('/api/v1/keys', { headers: bearer(submitter) });
    expect(res.status).toBe(403);
    expect((await readJson(res)).error.code).toBe('forbidden');
  });

  it('answers 401 for an unknown key on any route, and lets anonymous calls through', async () => {
    const unknown = await t.app.request('/healthz', { headers: bearer('aa_0123456789ab_' + 'x'.repeat(43)) });
    expect(unknown.status).toBe(401);
    expect((await readJson(unknown)).error.code).toBe('unauthorized');
    const garbage = await t.app.request('/healthz', { headers: bearer('garbage') });
    expect(garbage.status).toBe(401);
    expect((await t.app.request('/healthz')).status).toBe(200);
  });

  it('accepts the key in X-API-Key too', async () => {
    const res = await t.app.request('/api/v1/keys', { headers: { 'X-API-Key': admin } });
    expect(res.status).toBe(200);
  });

  it('treats ADMIN_TOKEN as an admin key, and a near miss as unknown', async () => {
    expect((await t.app.request('/api/v1/keys', { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
    expect((await t.app.request('/api/v1/keys', { headers: bearer(ADMIN_TOKEN + 'x') })).status).toBe(401);
  });

  it('revokes a key, after which it is refused', async () => {
    const created = await readJson(
      await t.app.request('/api/v1/keys', { method: 'POST', headers: jsonWith(admin), body: '{"role":"admin"}' }),
    );
    expect((await t.app.request('/api/v1/keys', { headers: bearer(created.key) })).status).toBe(200);
    const res = await t.app.request(`/api/v1/keys/${created.id}`, { method: 'DELETE', headers: bearer(admin) });
    expect(res.status).toBe(204);
    const refused = await t.app.request('/api/v1/keys', { headers: bearer(created.key) });
    expect(refused.status).toBe(401);
    const listed = await readJson(await t.app.request('/api/v1/keys', { headers: bearer(admin) }));
    expect(listed.find((k: { id: number }) => k.id === created.id).revokedAt).not.toBeNull();
  });

  it('answers 404 when revoking a key that does not exist', async () => {
    const res = await t.app.request('/api/v1/keys/99999999', { method: 'DELETE', headers: bearer(admin) });
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });

  it('answers 422 for a key id too large for the id column, instead of a database error', async () => {
    const res = await t.app.request('/api/v1/keys/3516431361337769', { method: 'DELETE', headers: bearer(admin) });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.code).toBe('invalid_body');
  });

  it('answers 422 for an unknown role or an unexpected field', async () => {
    for (const body of ['{"role":"root"}', '{"role":"admin","rights":"all"}']) {
      const res = await t.app.request('/api/v1/keys', { method: 'POST', headers: jsonWith(admin), body });
      expect(res.status).toBe(422);
      expect((await readJson(res)).error.code).toBe('invalid_body');
    }
  });

  it('lets a submitter key through to routes that need no role', async () => {
    const res = await t.app.request('/healthz', { headers: bearer(submitter) });
    expect(res.status).toBe(200);
  });
});
