import type { Db } from '../../src/db/create-db.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { FACADE, postToFacade } from '../helpers/facade-client.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('facade-cancel');
const queue = `backend.${backend}`;

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('cancelling through the A_A facade', () => {
  it('cancels every running submission of a batch with DELETE on its uuid', async () => {
    const a = uniqueName('sleepy-a');
    const b = uniqueName('sleepy-b');
    for (const job of [a, b]) {
      await seedTask(db, { name: `${job}-t`, backend, executable: 'sleep 600' });
      await seedJob(db, job, [{ task: `${job}-t`, ordering: 0 }]);
    }
    const created = await readJson(
      await postToFacade(t.app, { job: `${a},${b}`, submission_name: 'x', email: '' }, 'x'),
    );
    const statuses = () =>
      db.selectFrom('submissions').select(['status']).where('batch_id', '=', created.UUID).execute();
    expect(await waitUntil(async () => (await statuses()).every((s) => s.status === 'running'), 30_000)).toBe(true);

    const res = await t.app.request(`${FACADE}/submission/${created.UUID}`, {
      method: 'DELETE',
      headers: tokenHeader(created.UUID),
    });
    expect(res.status).toBe(202);

    expect(await waitUntil(async () => (await statuses()).every((s) => s.status === 'cancelled'), 30_000)).toBe(true);
    const batch = await readJson(await t.app.request(`${FACADE}/submission/${created.UUID}?format=json`));
    expect(batch.state).toBe('Error');
  });

  it('refuses DELETE on an anonymous batch without its control_token (403) and cancels nothing; 202 with it', async () => {
    // No worker serves this backend: the batch stays active without running anything.
    const idle = uniqueName('idle');
    await seedBackend(db, idle, `backend.${idle}`);
    const job = uniqueName('queued');
    await seedTask(db, { name: `${job}-t`, backend: idle, executable: 'true' });
    await seedJob(db, job, [{ task: `${job}-t`, ordering: 0 }]);
    const res = await postToFacade(t.app, { job, submission_name: 'x', email: '' }, 'x');
    expect(res.status).toBe(201);
    const created = await readJson(res);
    expect(created).toEqual({ UUID: expect.any(String), submission_name: 'x', control_token: expect.any(String) });
    const rows = () =>
      db
        .selectFrom('submissions')
        .select(['status', 'cancel_requested_at'])
        .where('batch_id', '=', created.UUID)
        .execute();
    expect(await waitUntil(async () => (await rows()).every((s) => s.status === 'running'), 30_000)).toBe(true);
    const remove = (headers: Record<string, string> = {}) =>
      t.app.request(`${FACADE}/submission/${created.UUID}`, { method: 'DELETE', headers });

    const refused = await remove();
    expect(refused.status).toBe(403);
    expect(await readJson(refused)).toEqual({ detail: expect.stringContaining('Submission-Token header') });
    expect((await remove({ 'Submission-Token': 'wrong' })).status).toBe(403);
    expect(await rows()).toEqual([{ status: 'running', cancel_requested_at: null }]);

    expect((await remove({ 'Submission-Token': created.control_token })).status).toBe(202);
    expect(await waitUntil(async () => (await rows()).every((s) => s.status === 'cancelled'), 30_000)).toBe(true);
  });

  it('answers 404 for a batch that does not exist', async () => {
    const res = await t.app.request(`${FACADE}/submission/${crypto.randomUUID()}`, { method: 'DELETE' });
    expect(res.status).toBe(404);
  });
});
