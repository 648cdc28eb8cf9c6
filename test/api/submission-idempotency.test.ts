import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { purgeExpiredIdempotencyKeys } from '../../src/submissions/idempotency-key-repository.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
let job: string;
const backend = uniqueName('idem');
const queue = `backend.${backend}`;

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  job = uniqueName('idem-job');
  await seedTask(db, { name: job, backend, executable: 'true' });
  await seedJob(db, job, [{ task: job, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

const postJson = (body: unknown, key?: string, jobName = job) =>
  t.app.request(`/api/v1/jobs/${jobName}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });

const countNamed = async (name: string) =>
  Number(
    (
      await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('Idempotency-Key on POST submissions', () => {
  it('answers the same key twice with the first answer and stores one submission', async () => {
    const name = uniqueName('twice');
    const key = crypto.randomUUID();
    const first = await postJson({ submissionName: name, input: 'x' }, key);
    const again = await postJson({ submissionName: name, input: 'x' }, key);

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    const [a, b] = [await readJson(first), await readJson(again)];
    expect(b).toEqual(a);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await countNamed(name)).toBe(1);
  });

  it('recognises a multipart retry by its content, though the boundary differs', async () => {
    const name = uniqueName('multipart');
    const key = crypto.randomUUID();
    const post = () =>
      t.app.request(`/api/v1/jobs/${job}/submissions`, {
        method: 'POST',
        headers: { 'idempotency-key': key },
        body: (() => {
          const form = new FormData();
          form.set('submission_name', name);
          form.set('input_data', new Blob(['same bytes\n']), 'in.txt');
          return form;
        })(),
      });
    const [a, b] = [await readJson(await post()), await readJson(await post())];
    expect(b.id).toBe(a.id);
    expect(await countNamed(name)).toBe(1);
  });

  it('refuses the same key with a different body with 422 idempotency_key_reused and starts nothing', async () => {
    const name = uniqueName('reused');
    const key = crypto.randomUUID();
    expect((await postJson({ submissionName: name, input: 'one' }, key)).status).toBe(201);
    const other = await postJson({ submissionName: name, input: 'two' }, key);

    expect(other.status).toBe(422);
    expect((await readJson(other)).error).toMatchObject({
      code: 'idempotency_key_reused',
      message: expect.stringContaining(key),
    });
    expect(await countNamed(name)).toBe(1);
  });

  it('treats the same key on another job as a different request', async () => {
    const otherJob = uniqueName('idem-other');
    await seedTask(db, { name: otherJob, backend, executable: 'true' });
    await seedJob(db, otherJob, [{ task: otherJob, ordering: 0 }]);
    const key = crypto.randomUUID();
    const name = uniqueName('jobs');
    expect((await postJson({ submissionName: name }, key)).status).toBe(201);
    expect((await postJson({ submissionName: name }, key, otherJob)).status).toBe(422);
  });

  it('stores two submissions for two POSTs without a key', async () => {
    const name = uniqueName('nokey');
    const a = await readJson(await postJson({ submissionName: name, input: 'x' }));
    const b = await readJson(await postJson({ submissionName: name, input: 'x' }));
    expect(b.id).not.toBe(a.id);
    expect(await countNamed(name)).toBe(2);
  });

  it('gives a concurrent duplicate the first answer rather than a second submission', async () => {
    const name = uniqueName('concurrent');
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postJson({ submissionName: name, input: 'x' }, key)),
    );
    expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(await Promise.all(answers.map(async (res) => (await readJson(res)).id)));
    expect(ids.size).toBe(1);
    expect(await countNamed(name)).toBe(1);
  });

  it('stores nothing for a refused request, so its corrected retry with the same key goes through', async () => {
    const name = uniqueName('retry');
    const key = crypto.randomUUID();
    const refused = await postJson({ submissionName: name, parameters: { nope: '1' } }, key);
    expect(refused.status).toBe(422);
    expect((await readJson(refused)).error.code).not.toMatch(/^idempotency/);
    const fixed = await postJson({ submissionName: name }, key);
    expect(fixed.status).toBe(201);
    expect(await countNamed(name)).toBe(1);
  });

  it('refuses a key that is not 1-255 visible ASCII characters with 422 invalid_idempotency_key', async () => {
    const res = await postJson({ submissionName: uniqueName('badkey') }, 'x'.repeat(256));
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.code).toBe('invalid_idempotency_key');
  });

  it('forgets a key after 24 hours: it starts a new submission, and the retention purge removes old keys', async () => {
    const name = uniqueName('expired');
    const key = crypto.randomUUID();
    const first = await readJson(await postJson({ submissionName: name }, key));
    await db
      .updateTable('idempotency_keys')
      .set({ created_at: sql<Date>`now() - interval '25 hours'` })
      .where('key', '=', key)
      .execute();
    const later = await readJson(await postJson({ submissionName: name }, key));
    expect(later.id).not.toBe(first.id);

    const old = crypto.randomUUID();
    expect((await postJson({ submissionName: name }, old)).status).toBe(201);
    await db
      .updateTable('idempotency_keys')
      .set({ created_at: sql<Date>`now() - interval '25 hours'` })
      .where('key', '=', old)
      .execute();
    expect(await purgeExpiredIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom('idempotency_keys').select('key').where('key', 'in', [old, key]).execute()).toEqual([
      { key },
    ]);
  });

  it('documents the header and the 409 in the OpenAPI document', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    const post = doc.paths['/api/v1/jobs/{name}/submissions'].post;
    expect(post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: false })]),
    );
    expect(Object.keys(post.responses)).toContain('409');
  });
});
