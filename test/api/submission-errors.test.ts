import type { Db } from '../../src/db/create-db.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
const backend = uniqueName('errors');
let job: string;

async function countSubmissions(jobName: string): Promise<number> {
  const rows = await db.selectFrom('submissions').select('id').where('job_name', '=', jobName).execute();
  return rows.length;
}

beforeAll(async () => {
  t = await createTestApp({}, new Map([['never_valid', () => false]]));
  db = t.db;
  // No worker serves this queue: these tests are about what is refused before anything runs.
  await seedBackend(db, backend, `backend.${backend}`);
  job = uniqueName('job');
  await seedTask(db, {
    name: `${job}-task`,
    backend,
    executable: 'echo $P1 $P2',
    parameters: [
      { alias: 'count', type: 'integer', required: true, flag: '-n' },
      { alias: 'mode', type: 'choice', choices: ['fast', 'slow'], default: 'fast', flag: '-m' },
    ],
  });
  await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
});

afterAll(async () => {
  await t.close();
});

describe('POST /api/v1/jobs/{name}/submissions refusals', () => {
  it('answers 404 not_found for an unknown job', async () => {
    const res = await postMultipart(t.app, 'no-such-job', {});
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });

  it('answers 403 job_disabled for a job that is not runnable', async () => {
    const disabled = uniqueName('disabled');
    await seedJob(db, disabled, [{ task: `${job}-task`, ordering: 0 }], { runnable: false });
    const res = await postMultipart(t.app, disabled, { [`${job}-task_count`]: '1' });
    expect(res.status).toBe(403);
    expect((await readJson(res)).error.code).toBe('job_disabled');
  });

  it('answers 422 job_has_no_steps for a job without steps', async () => {
    const empty = uniqueName('empty');
    await seedJob(db, empty, []);
    const res = await postMultipart(t.app, empty, {});
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.code).toBe('job_has_no_steps');
  });

  it('answers 422 invalid_parameter naming each bad parameter and stores nothing', async () => {
    const res = await postMultipart(t.app, job, { [`${job}-task_mode`]: 'medium', [`${job}-task_bogus`]: 'x' });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.code).toBe('invalid_parameter');
    expect(body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(
      [`${job}-task_bogus`, `${job}-task_count`, `${job}-task_mode`].sort(),
    );
    expect(await countSubmissions(job)).toBe(0);
  });

  it('answers 422 validation_failed naming the validator that rejected the upload', async () => {
    const validated = uniqueName('validated');
    await seedJob(db, validated, [{ task: `${job}-task`, ordering: 0 }], { validators: ['never_valid'] });
    const res = await postMultipart(t.app, validated, { [`${job}-task_count`]: '1' });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error).toMatchObject({ code: 'validation_failed', details: { validator: 'never_valid' } });
    expect(await countSubmissions(validated)).toBe(0);
  });

  it('answers 415 for a body that is neither multipart nor JSON', async () => {
    const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect((await readJson(res)).error.code).toBe('unsupported_media_type');
  });

  it('answers 422 for a JSON body without a submission name', async () => {
    const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
      method: 'POST',
      body: JSON.stringify({ parameters: {} }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.message).toContain('submissionName');
  });

  it('answers 413 payload_too_large for an upload over MAX_UPLOAD_BYTES and stores nothing', async () => {
    const small = await createTestApp({ MAX_UPLOAD_BYTES: '1000' });
    try {
      const res = await postMultipart(small.app, job, { [`${job}-task_count`]: '1' }, new Uint8Array(5000));
      expect(res.status).toBe(413);
      expect((await readJson(res)).error.code).toBe('payload_too_large');
      expect(await countSubmissions(job)).toBe(0);
    } finally {
      await small.close();
    }
  });

  it("answers 429 too_many_requests over the hard limit, counting the client's active submissions", async () => {
    const limited = await createTestApp({ QUEUE_HARD_LIMIT: '1' });
    try {
      await db
        .insertInto('submissions')
        .values({
          id: crypto.randomUUID(),
          job_name: job,
          name: 'busy',
          client_identity: 'ip:127.0.0.1',
          status: 'running',
        })
        .execute();
      const res = await postMultipart(limited.app, job, { [`${job}-task_count`]: '1' });
      expect(res.status).toBe(429);
      expect((await readJson(res)).error.code).toBe('too_many_requests');
    } finally {
      await db.deleteFrom('submissions').where('name', '=', 'busy').where('job_name', '=', job).execute();
      await limited.close();
    }
  });

  it('answers 503 temporal_unavailable and marks the submission crash when Temporal is down', async () => {
    const down = await createTestApp({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    try {
      const res = await postMultipart(down.app, job, { [`${job}-task_count`]: '1' });
      expect(res.status).toBe(503);
      const body = await readJson(res);
      expect(body.error.code).toBe('temporal_unavailable');
      const row = await db
        .selectFrom('submissions')
        .selectAll()
        .where('id', '=', body.error.details.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('crash');
      expect(row.last_message).toContain('Could not start the workflow');
    } finally {
      await down.close();
    }
  });
});

describe('GET /api/v1/submissions/{id}', () => {
  it('answers 404 for an id that is not a submission', async () => {
    expect((await t.app.request('/api/v1/submissions/not-a-uuid')).status).toBe(404);
    expect((await t.app.request(`/api/v1/submissions/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('answers 401 to an anonymous listing', async () => {
    expect((await t.app.request('/api/v1/submissions')).status).toBe(401);
  });
});
