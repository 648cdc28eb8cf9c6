import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import { createTestKey, jsonWith } from '../helpers/api-keys.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, testTemporalClient, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let client: Client;
let workers: RunningWorkers;
let userKey: string;
let otherKey: string;
let smtp: SmtpTestServer;
const backend = uniqueName('sched');
const queue = `backend.${backend}`;
const job = uniqueName('sleepy');
const failing = uniqueName('failing');
const created: string[] = [];
// Parameters are keyed <task>_<alias>, as in a submission.
const seconds = (value: unknown) => ({ [`${job}-task_seconds`]: value });

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'aa <aa@example.org>' });
  db = t.db;
  client = await testTemporalClient(t.config);
  await seedBackend(db, backend, queue);
  // Sleeps $P1 seconds, then copies its input: a run's length is a parameter.
  await seedTask(db, {
    name: `${job}-task`,
    backend,
    executable: `sh -c 'sleep "$1"; cat "$2" > "$3"' sh $P1 $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.out'],
    parameters: [{ alias: 'seconds', type: 'integer', switchless: true, required: true }],
  });
  await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
  await seedTask(db, { name: `${failing}-task`, backend, executable: `sh -c 'exit 3'` });
  await seedJob(db, failing, [{ task: `${failing}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, [queue]);
  userKey = await createTestKey(db, 'submitter');
  otherKey = await createTestKey(db, 'submitter');
});

afterAll(async () => {
  for (const id of created) {
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => {});
  }
  await workers.stop();
  await client.connection.close();
  await t.close();
  await smtp.close();
});

async function call(method: string, path: string, body?: unknown, key = userKey) {
  const res = await t.app.request(`/api/v1/schedules${path === '/' ? '' : path}`, {
    method,
    headers: jsonWith(key),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? null : await readJson(res) };
}

async function createSchedule(fields: Record<string, unknown>) {
  const id = uniqueName('s');
  created.push(id);
  const res = await call('POST', '/', { id, job, input: { text: 'hello\n', name: 'in.txt' }, ...fields });
  expect(res).toMatchObject({ status: 201, body: { id } });
  return id;
}

async function runsOf(id: string) {
  return db
    .selectFrom('submissions')
    .select(['id', 'status', 'created_at', 'finished_at'])
    .where('name', '=', `schedule ${id}`)
    .orderBy('created_at')
    .execute();
}

async function temporalScheduleExists(id: string): Promise<boolean> {
  try {
    await client.schedule.getHandle(id).describe();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

describe('schedules', () => {
  it.each([
    ['an invalid cron', { cron: ['61 * * * *'] }, 'cron.0'],
    ['an unknown job', { job: 'no-such-job', interval: 60 }, 'job'],
    ['parameters failing the schema', { interval: 60, parameters: seconds('soon') }, `parameters.${job}-task_seconds`],
    ['no timing', {}, 'cron'],
    ['an unknown time zone', { interval: 60, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['an unknown dataset', { interval: 60, dataset: '00000000-0000-4000-8000-000000000000' }, 'dataset'],
    ['both input and dataset', { interval: 60, input: { text: 'x' }, dataset: 'd' }, 'dataset'],
  ])('refuses %s with 422 naming the field, creating nothing', async (_what, fields, path) => {
    const id = uniqueName('bad');
    const res = await call('POST', '/', { id, job, parameters: seconds(0), ...fields });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe(path);
    expect(res.body.error.message).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}:`));
    expect(await temporalScheduleExists(id)).toBe(false);
    expect(await runsOf(id)).toEqual([]);
  });

  it('runs every 2 s as completed submissions tagged with the schedule; pause stops, trigger runs, delete removes', async () => {
    const id = await createSchedule({ interval: 2, parameters: seconds(0) });
    const view = await call('GET', `/${id}`);
    expect(view.body).toMatchObject({ id, job, interval: 2, overlap: 'skip', paused: false });
    expect((await call('GET', `/${id}`, undefined, otherKey)).status).toBe(404);

    await waitUntil(async () => (await runsOf(id)).filter((r) => r.status === 'complete').length >= 2, 20_000);
    const tagged = await client.workflow.count(`AaSchedule = "${id}"`);
    expect(tagged.count).toBeGreaterThanOrEqual(2);

    const paused = await call('POST', `/${id}/pause`, { note: 'maintenance' });
    expect(paused.body).toMatchObject({ paused: true, note: 'maintenance' });
    // A run the schedule started just before the pause may still be submitting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const afterPause = (await runsOf(id)).length;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await runsOf(id)).length).toBe(afterPause);

    const triggeredAt = Date.now();
    expect((await call('POST', `/${id}/trigger`)).status).toBe(200);
    await waitUntil(async () => (await runsOf(id)).length === afterPause + 1, 5_000);
    expect(Date.now() - triggeredAt).toBeLessThan(5_000);

    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect(await temporalScheduleExists(id)).toBe(false);
    expect((await call('GET', `/${id}`)).status).toBe(404);
  }, 60_000);

  it('with overlap skip, a 5 s job due every 1 s never has two runs at once', async () => {
    const id = await createSchedule({ interval: 1, overlap: 'skip', parameters: seconds(5) });
    await waitUntil(async () => (await runsOf(id)).length >= 2, 30_000);
    await call('POST', `/${id}/pause`, { note: 'enough' });
    await waitUntil(async () => (await runsOf(id)).every((r) => r.finished_at !== null), 20_000);
    const runs = await runsOf(id);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.created_at.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finished_at!.getTime());
    }
    expect(runs.every((r) => r.status === 'complete')).toBe(true);
  }, 60_000);

  it('changes with PATCH (checked like a new one) and backfills a past range as runs', async () => {
    const id = await createSchedule({ interval: 3600, parameters: seconds(0) });
    const refused = await call('PATCH', `/${id}`, { cron: ['* * 32 * *'] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0].path).toBe('cron.0');
    const patched = await call('PATCH', `/${id}`, { overlap: 'allow_all', parameters: seconds(1) });
    expect(patched.body).toMatchObject({ overlap: 'allow_all', parameters: seconds(1), interval: 3600 });

    const end = new Date();
    const start = new Date(end.getTime() - 3 * 3600_000);
    expect((await call('POST', `/${id}/backfill`, { start: start.toISOString(), end: end.toISOString() })).status).toBe(
      200,
    );
    await waitUntil(async () => (await runsOf(id)).filter((r) => r.status === 'complete').length >= 3, 30_000);
    expect((await call('GET', '/')).body.items.map((s: { id: string }) => s.id)).toContain(id);
  }, 60_000);

  it('round-trips through the YAML configuration byte-identically, re-creating a deleted schedule', async () => {
    const adminKey = await createTestKey(db, 'admin');
    const id = await createSchedule({
      cron: ['0 3 * * *', '30 12 * * mon-fri'],
      timeZone: 'Europe/London',
      overlap: 'buffer_one',
      notifyEmail: 'ops@example.org',
      parameters: seconds(0),
      paused: true,
      note: 'kept paused',
    });
    const exportYaml = async () => {
      const res = await t.app.request('/api/v1/config', { headers: { Authorization: `Bearer ${adminKey}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    // Temporal lists schedules from its visibility store, a moment behind a create or delete.
    let exported = '';
    await waitUntil(async () => (exported = await exportYaml()).includes(`id: ${id}`), 10_000, 250);
    expect((await call('DELETE', `/${id}`)).status).toBe(204);

    const imported = await t.app.request('/api/v1/config', {
      method: 'PUT',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/yaml' },
      body: exported,
    });
    expect(imported.status).toBe(200);
    expect((await readJson(imported)).schedules.created).toContain(id);
    let again = '';
    await waitUntil(async () => (again = await exportYaml()) === exported, 10_000, 250);
    expect(again).toBe(exported);
    expect((await client.schedule.getHandle(id).describe()).state).toMatchObject({ paused: true, note: 'kept paused' });
  }, 60_000);

  it('mails the address given when a run fails', async () => {
    const id = uniqueName('s');
    created.push(id);
    const res = await call('POST', '/', {
      id,
      job: failing,
      interval: 3600,
      notifyEmail: 'ops@example.org',
      paused: true,
    });
    expect(res.status).toBe(201);
    expect((await call('POST', `/${id}/trigger`)).status).toBe(200);
    await waitUntil(() => smtp.received.some((m) => m.text.includes(id)), 20_000);
    const mail = smtp.received.find((m) => m.text.includes(id))!;
    expect(mail.to).toEqual(['ops@example.org']);
    expect(mail.subject).toBe(`Scheduled run of ${failing} ended error`);
    expect((await runsOf(id))[0]).toMatchObject({ status: 'error' });
  }, 60_000);

  it('gives every run a dataset by reference as its input', async () => {
    const form = new FormData();
    form.set('name', 'greeting');
    form.set('data', new Blob(['from a dataset\n']), 'greeting.txt');
    const upload = await t.app.request('/api/v1/datasets', {
      method: 'POST',
      headers: { Authorization: `Bearer ${userKey}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const dataset = (await readJson(upload)).id as string;
    const id = uniqueName('s');
    created.push(id);
    const res = await call('POST', '/', { id, job, dataset, interval: 3600, parameters: seconds(0), paused: true });
    expect(res.body).toMatchObject({ id, dataset, input: null });
    await call('POST', `/${id}/trigger`);
    await waitUntil(async () => (await runsOf(id)).some((r) => r.status === 'complete'), 20_000);
    const [run] = await runsOf(id);
    const files = await db
      .selectFrom('stored_files')
      .select(['kind', 'name'])
      .where('submission_id', '=', run!.id)
      .where('kind', 'in', ['input', 'result'])
      .orderBy('kind')
      .execute();
    expect(files).toEqual([
      { kind: 'input', name: 'greeting.txt' },
      { kind: 'result', name: expect.stringMatching(/\.out$/) },
    ]);
  }, 60_000);
});
