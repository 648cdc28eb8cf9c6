import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

describe('backend routes', () => {
  let t: TestApp;
  let admin: AdminClient;
  let submitterKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = adminClient(t, await createTestKey(t.db, 'admin'));
    submitterKey = await createTestKey(t.db, 'submitter');
  });
  afterAll(() => t.close());

  it('creates a backend with explicit defaults (201), then updates it (200)', async () => {
    const name = uniqueName('be');
    const created = await admin.put(`/api/v1/backends/${name}`, {});
    expect(created.status).toBe(201);
    expect(await readJson(created)).toEqual({
      name,
      taskQueue: `backend.${name}`,
      rootPath: null,
      description: '',
      kind: 'local',
      slurm: null,
      limits: { cpuSeconds: null, memoryBytes: null, processes: null, openFiles: null, outputBytes: null },
    });

    const body = {
      taskQueue: 'gpu-queue',
      rootPath: '/scratch/aa',
      description: 'GPU nodes',
      kind: 'local',
      slurm: null,
      limits: { cpuSeconds: 3600, memoryBytes: 4294967296, processes: 256, openFiles: 1024, outputBytes: null },
    };
    const updated = await admin.put(`/api/v1/backends/${name}`, body);
    expect(updated.status).toBe(200);
    expect(await readJson(await admin.get(`/api/v1/backends/${name}`))).toEqual({ name, ...body, workers: [] });
    const listed = await readJson(await admin.get('/api/v1/backends'));
    expect(listed).toContainEqual({ name, ...body });
  });

  it('accepts a body that repeats the path name, and refuses one that differs', async () => {
    const name = uniqueName('be');
    expect((await admin.put(`/api/v1/backends/${name}`, { name })).status).toBe(201);
    const res = await admin.put(`/api/v1/backends/${name}`, { name: 'other' });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.details[0].path).toBe('name');
  });

  it('answers 422 naming the field for unsafe names, relative root paths and unknown fields', async () => {
    const badName = await admin.put('/api/v1/backends/bad%20name', {});
    expect(badName.status).toBe(422);
    expect((await readJson(badName)).error.code).toBe('invalid_body');
    const relative = await admin.put(`/api/v1/backends/${uniqueName('be')}`, { rootPath: 'tmp' });
    expect((await readJson(relative)).error.details[0].path).toBe('rootPath');
    const unknown = await admin.put(`/api/v1/backends/${uniqueName('be')}`, { root_path: '/tmp' });
    expect(unknown.status).toBe(422);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await admin.put(`/api/v1/backends/${uniqueName('be')}`, '{"rootPath":', {
      'Content-Type': 'application/json',
    });
    expect(res.status).toBe(400);
  });

  it('answers 404 for a backend that does not exist', async () => {
    const res = await admin.get(`/api/v1/backends/${uniqueName('missing')}`);
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
    expect((await admin.del(`/api/v1/backends/${uniqueName('missing')}`)).status).toBe(404);
  });

  it('deletes an unused backend', async () => {
    const name = uniqueName('be');
    await admin.put(`/api/v1/backends/${name}`, {});
    expect((await admin.del(`/api/v1/backends/${name}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/backends/${name}`)).status).toBe(404);
  });

  it('refuses with 409 to delete a backend that tasks use, naming them', async () => {
    const name = uniqueName('be');
    const task = uniqueName('task');
    await admin.put(`/api/v1/backends/${name}`, {});
    expect((await admin.put(`/api/v1/tasks/${task}`, { backend: name, executable: 'true' })).status).toBe(201);
    const res = await admin.del(`/api/v1/backends/${name}`);
    expect(res.status).toBe(409);
    const body = await readJson(res);
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain(task);
    expect(body.error.details[0].names).toEqual([task]);
    expect((await admin.get(`/api/v1/backends/${name}`)).status).toBe(200);
  });

  it('needs an admin key: 401 without one, 403 with a submitter key', async () => {
    const name = uniqueName('be');
    const anonymous = await t.app.request(`/api/v1/backends/${name}`, {
      method: 'PUT',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    const submitter = await t.app.request(`/api/v1/backends/${name}`, {
      method: 'PUT',
      body: '{}',
      headers: { ...bearer(submitterKey), 'Content-Type': 'application/json' },
    });
    expect(submitter.status).toBe(403);
    expect((await t.app.request('/api/v1/backends', { headers: bearer(submitterKey) })).status).toBe(403);
    expect((await t.app.request(`/api/v1/backends/${name}`, { method: 'DELETE' })).status).toBe(401);
    expect((await admin.get(`/api/v1/backends/${name}`)).status).toBe(404);
  });
});
