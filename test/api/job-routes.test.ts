import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

describe('job routes', () => {
  let t: TestApp;
  let admin: AdminClient;
  let submitterKey: string;
  const backend = uniqueName('be');
  const [first, left, right, last] = ['first', 'left', 'right', 'last'].map((n) => uniqueName(n)) as [
    string,
    string,
    string,
    string,
  ];

  beforeAll(async () => {
    t = await createTestApp({ VALIDATORS_DIR: path.join(PROJECT_ROOT, 'test', 'fixtures', 'validators') });
    admin = adminClient(t, await createTestKey(t.db, 'admin'));
    submitterKey = await createTestKey(t.db, 'submitter');
    await admin.put(`/api/v1/backends/${backend}`, {});
    for (const task of [first, left, right, last])
      await admin.put(`/api/v1/tasks/${task}`, { backend, executable: 'true' });
  });
  afterAll(() => t.close());

  it('creates a job with a parallel stage and returns its steps in stage order', async () => {
    const name = uniqueName('pipeline');
    const res = await admin.put(`/api/v1/jobs/${name}`, {
      description: 'first, then left and right together, then last',
      steps: [
        { task: last, ordering: 20 },
        { task: left, ordering: 10 },
        { task: first, ordering: 0 },
        { task: right, ordering: 10 },
      ],
      validators: ['seq', 'none'],
    });
    expect(res.status).toBe(201);
    const expected = {
      name,
      runnable: true,
      description: 'first, then left and right together, then last',
      steps: [
        { task: first, ordering: 0 },
        { task: left, ordering: 10 },
        { task: right, ordering: 10 },
        { task: last, ordering: 20 },
      ],
      validators: ['seq', 'none'],
    };
    expect(await readJson(res)).toEqual(expected);
    expect(await readJson(await admin.get(`/api/v1/jobs/${name}`))).toEqual(expected);
    expect(await readJson(await admin.get('/api/v1/jobs'))).toContainEqual(expected);
  });

  it('replaces steps and validators on update (200)', async () => {
    const name = uniqueName('job');
    await admin.put(`/api/v1/jobs/${name}`, {
      steps: [
        { task: first, ordering: 0 },
        { task: last, ordering: 1 },
      ],
      validators: ['seq'],
    });
    const res = await admin.put(`/api/v1/jobs/${name}`, { runnable: false, steps: [{ task: left, ordering: 0 }] });
    expect(res.status).toBe(200);
    expect(await readJson(await admin.get(`/api/v1/jobs/${name}`))).toEqual({
      name,
      runnable: false,
      description: '',
      steps: [{ task: left, ordering: 0 }],
      validators: [],
    });
  });

  it('answers 422 unknown_reference naming the step of an unknown task, and stores nothing', async () => {
    const name = uniqueName('job');
    const res = await admin.put(`/api/v1/jobs/${name}`, {
      steps: [
        { task: first, ordering: 0 },
        { task: 'no-such-task', ordering: 1 },
      ],
    });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.code).toBe('unknown_reference');
    expect(body.error.details[0].path).toBe('steps.1.task');
    expect((await admin.get(`/api/v1/jobs/${name}`)).status).toBe(404);
  });

  it('answers 422 for an unknown validator and for a repeated one', async () => {
    const unknown = await admin.put(`/api/v1/jobs/${uniqueName('job')}`, { validators: ['none', 'tiff'] });
    expect(unknown.status).toBe(422);
    expect((await readJson(unknown)).error).toMatchObject({
      code: 'unknown_reference',
      details: [{ path: 'validators.1' }],
    });
    const repeated = await admin.put(`/api/v1/jobs/${uniqueName('job')}`, { validators: ['seq', 'seq'] });
    expect(repeated.status).toBe(422);
    expect((await readJson(repeated)).error.details[0].path).toBe('validators.1');
  });

  it('accepts validators loaded from VALIDATORS_DIR', async () => {
    const res = await admin.put(`/api/v1/jobs/${uniqueName('job')}`, { validators: ['startsWithHash', 'evenLength'] });
    expect(res.status).toBe(201);
  });

  it('answers 422 for a negative ordering', async () => {
    const res = await admin.put(`/api/v1/jobs/${uniqueName('job')}`, { steps: [{ task: first, ordering: -1 }] });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.details[0].path).toBe('steps.0.ordering');
  });

  it('deletes a job, and answers 404 after', async () => {
    const name = uniqueName('job');
    await admin.put(`/api/v1/jobs/${name}`, { steps: [{ task: first, ordering: 0 }] });
    expect((await admin.del(`/api/v1/jobs/${name}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/jobs/${name}`)).status).toBe(404);
    expect((await admin.del(`/api/v1/jobs/${name}`)).status).toBe(404);
  });

  it('lists validators: built-ins and plugins, private ones hidden', async () => {
    const res = await admin.get('/api/v1/validators');
    expect(res.status).toBe(200);
    const list = await readJson(res);
    expect(list).toContainEqual({ name: 'seq', builtin: true });
    expect(list).toContainEqual({ name: 'pdb_file', builtin: true });
    expect(list).toContainEqual({ name: 'startsWithHash', builtin: false });
    expect(list.map((v: { name: string }) => v.name)).not.toContain('_helperIsPrivate');
  });

  it('needs an admin key to change jobs or read their configuration: 401 without one, 403 with a submitter key', async () => {
    expect((await t.app.request('/api/v1/jobs?view=admin')).status).toBe(401);
    expect((await t.app.request('/api/v1/jobs?view=admin', { headers: bearer(submitterKey) })).status).toBe(403);
    expect((await t.app.request('/api/v1/validators', { headers: bearer(submitterKey) })).status).toBe(403);
    expect(
      (await t.app.request(`/api/v1/jobs/${uniqueName('j')}`, { method: 'DELETE', headers: bearer(submitterKey) }))
        .status,
    ).toBe(403);
  });
});
