import { sql } from 'kysely';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { fileText, postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
const backend = uniqueName('json');
const task = uniqueName('json-task');
const job = uniqueName('json-job');
const field = `${task}_settings`;

const schema = {
  type: 'object',
  properties: { threshold: { type: 'number', maximum: 1 }, labels: { type: 'array', items: { type: 'string' } } },
  required: ['threshold'],
  additionalProperties: false,
};

async function counts() {
  const { rows } = await sql<{ submissions: string; blobs: string }>`
    select (select count(*) from submissions where job_name = ${job}) as submissions,
           (select count(*) from blobs) as blobs`.execute(t.db);
  return rows[0]!;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  expect((await admin.put(`/api/v1/backends/${backend}`, {})).status).toBeLessThan(300);
  const put = await admin.put(`/api/v1/tasks/${task}`, {
    backend,
    // The task reads its json parameter from the file $P1 names; no shell, no argv value.
    executable: 'cp $P1 $O1',
    outputs: ['.json'],
    parameters: [{ alias: 'settings', type: 'json', switchless: true, required: true, schema }],
  });
  expect(put.status).toBeLessThan(300);
  expect(
    (await admin.put(`/api/v1/jobs/${job}`, { steps: [{ task, ordering: 0 }], retentionDays: 7 })).status,
  ).toBeLessThan(300);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('json parameters', () => {
  it('hands a value that fits the schema to the task as a file', async () => {
    const res = await postMultipart(t.app, job, { [field]: '{"threshold": 0.25, "labels": ["a", "b"]}' });
    expect(res.status).toBe(201);
    const done = await waitForEnd(t.app, (await readJson(res)).id);
    expect(done.status).toBe('complete');
    const result = done.files.find((f: { kind: string }) => f.kind === 'result');
    expect(JSON.parse(await fileText(t.app, result.url))).toEqual({ threshold: 0.25, labels: ['a', 'b'] });
  });

  it('takes the value itself in a JSON body', async () => {
    const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submissionName: 'json body', parameters: { [field]: { threshold: 1 } } }),
    });
    expect(res.status).toBe(201);
    expect((await waitForEnd(t.app, (await readJson(res)).id)).status).toBe('complete');
  });

  it('refuses a value that breaks the schema with 422 naming the failing path, and stores nothing', async () => {
    const before = await counts();
    const res = await postMultipart(t.app, job, { [field]: '{"threshold": 0.5, "labels": ["a", 7]}' });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.message).toContain('/labels/1');
    expect(body.error.details).toEqual([{ field, path: '/labels/1', message: '/labels/1 must be string' }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses text that is not JSON with 422', async () => {
    const res = await postMultipart(t.app, job, { [field]: '{threshold: 1' });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.details[0]).toMatchObject({ field, path: '' });
  });

  it('refuses a task whose schema does not compile, naming the schema', async () => {
    const res = await admin.put(`/api/v1/tasks/${uniqueName('bad-schema')}`, {
      backend,
      executable: 'true',
      parameters: [{ alias: 'x', type: 'json', schema: { type: 'objekt' } }],
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await readJson(res))).toContain('parameters.0.schema');
  });

  it('keeps a job retention set through REST, and GET shows it', async () => {
    expect((await readJson(await admin.get(`/api/v1/jobs/${job}`))).retentionDays).toBe(7);
    const row = await t.db
      .selectFrom('jobs')
      .select('retention_days')
      .where('name', '=', job)
      .executeTakeFirstOrThrow();
    expect(row.retention_days).toBe(7);
  });
});
