// Issue 18: anyone with an anonymous submission's id may read it, as in A_A, but only the holder of
// the control token its POST returned (or an admin) may cancel or delete it.
import type { Db } from '../../src/db/create-db.ts';
import { adminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const ADMIN_TOKEN = 'control-token-test-admin-0123456789';
let t: TestApp;
let db: Db;
let workers: RunningWorkers;
let job: string;
// No worker serves this backend: a submission's step stays queued, so it stays active without running anything.
const idleBackend = uniqueName('idle');

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN });
  db = t.db;
  await seedBackend(db, idleBackend, `backend.${idleBackend}`);
  job = uniqueName('job');
  await seedTask(db, { name: `${job}-task`, backend: idleBackend, executable: 'true' });
  await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, []);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

/** An anonymous submission, running (its step queued): its id and the token its POST returned. */
async function anonymous(headers: Record<string, string> = {}): Promise<{ id: string; controlToken: string }> {
  const form = new FormData();
  form.set('submission_name', 'control');
  form.set('input_data', new Blob(['hello\n']), 'input.txt');
  const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, { method: 'POST', body: form, headers });
  const body = await readJson(res);
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(body)}`);
  await waitUntil(async () => (await row(body.id)).status === 'running', 10_000);
  return body;
}

const row = (id: string) => db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const cancel = (id: string, headers: Record<string, string> = {}) =>
  t.app.request(`/api/v1/submissions/${id}/cancel`, { method: 'POST', headers });
const remove = (id: string, headers: Record<string, string> = {}) =>
  t.app.request(`/api/v1/submissions/${id}`, { method: 'DELETE', headers });
const token = (value: string) => ({ 'Submission-Token': value });

async function expectRefused(res: Response, message: RegExp) {
  expect(res.status).toBe(403);
  expect(await readJson(res)).toEqual({ error: { code: 'forbidden', message: expect.stringMatching(message) } });
}

describe('the control token of an anonymous submission', () => {
  it('is returned once by the POST, and only its sha256 is stored', async () => {
    const { id, controlToken } = await anonymous();
    expect(controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await row(id);
    expect(stored.control_token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(controlToken);
    expect(await readJson(await t.app.request(`/api/v1/submissions/${id}`))).not.toHaveProperty('controlToken');
    expect((await remove(id, token(controlToken))).status).toBe(204);
  });

  it('is not needed to read the submission: anyone with the id can', async () => {
    const { id, controlToken } = await anonymous();
    expect((await t.app.request(`/api/v1/submissions/${id}`)).status).toBe(200);
    expect((await cancel(id, token(controlToken))).status).toBe(202);
  });

  it('refuses a cancel without it (403, saying to send it) and changes nothing', async () => {
    const { id, controlToken } = await anonymous();

    await expectRefused(await cancel(id), /send the control token its POST returned in the Submission-Token header/);

    expect(await row(id)).toMatchObject({ status: 'running', cancel_requested_at: null, cancel_requested_by: null });
    expect((await cancel(id, token(controlToken))).status).toBe(202);
  });

  it('refuses a cancel with a wrong token (403), and accepts the right one (202)', async () => {
    const { id, controlToken } = await anonymous();
    const other = await anonymous();

    await expectRefused(await cancel(id, token(other.controlToken)), /does not match/);
    await expectRefused(await cancel(id, token(`${controlToken}x`)), /does not match/);
    expect((await row(id)).cancel_requested_at).toBeNull();

    const res = await cancel(id, token(controlToken));
    expect(res.status).toBe(202);
    expect(await readJson(res)).toMatchObject({ id, cancelRequestedBy: 'ip:127.0.0.1' });
    expect((await waitForEnd(t.app, id, 15_000)).status).toBe('cancelled');
    expect((await remove(other.id, token(other.controlToken))).status).toBe(204);
  });

  it('refuses a delete without it or with a wrong one (403, nothing erased), and deletes with it (204)', async () => {
    const { id, controlToken } = await anonymous();

    await expectRefused(await remove(id), /Submission-Token/);
    await expectRefused(await remove(id, token('not-the-token')), /does not match/);
    expect(await row(id)).toMatchObject({ status: 'running', deleted_at: null });
    expect(await db.selectFrom('stored_files').select('id').where('submission_id', '=', id).execute()).toHaveLength(1);

    expect((await remove(id, token(controlToken))).status).toBe(204);
    expect((await row(id)).status).toBe('deleted');
  });

  it('is not needed by an admin', async () => {
    const { id } = await anonymous();
    const admin = adminClient(t, ADMIN_TOKEN);

    const res = await admin.post(`/api/v1/submissions/${id}/cancel`, undefined);

    expect(res.status).toBe(202);
    expect((await waitForEnd(t.app, id, 15_000)).status).toBe('cancelled');
    expect((await admin.del(`/api/v1/submissions/${id}`)).status).toBe(204);
  });

  it('is the same in a replayed answer of the same Idempotency-Key, and works', async () => {
    const key = crypto.randomUUID();
    const first = await anonymous({ 'Idempotency-Key': key });
    const again = await anonymous({ 'Idempotency-Key': key });
    expect(again).toEqual(first);
    expect((await cancel(first.id, token(again.controlToken))).status).toBe(202);
  });

  it('does not exist for a submission stored before tokens: only an admin may cancel it', async () => {
    const { id } = await anonymous();
    await db.updateTable('submissions').set({ control_token_sha256: null }).where('id', '=', id).execute();

    await expectRefused(await cancel(id, token('anything')), /only an admin/);
    expect((await adminClient(t, ADMIN_TOKEN).post(`/api/v1/submissions/${id}/cancel`, undefined)).status).toBe(202);
  });
});

describe('a submission made with an API key', () => {
  it('gets no token, and its user cancels and deletes it with the key alone', async () => {
    const key = await createTestKey(db, 'submitter');
    const res = await postMultipart(t.app, job, {}, 'hello\n', 'input.txt', bearer(key));
    const created = await readJson(res);
    expect(res.status).toBe(201);
    expect(created).not.toHaveProperty('controlToken');
    expect((await row(created.id)).control_token_sha256).toBeNull();
    await waitUntil(async () => (await row(created.id)).status === 'running', 10_000);

    expect((await cancel(created.id, bearer(key))).status).toBe(202);
    expect((await remove(created.id, bearer(key))).status).toBe(204);
  });

  it('is hidden from another key (404), as before', async () => {
    const owner = await createTestKey(db, 'submitter');
    const created = await readJson(await postMultipart(t.app, job, {}, 'hello\n', 'input.txt', bearer(owner)));
    const stranger = await createTestKey(db, 'submitter');
    expect((await cancel(created.id, bearer(stranger))).status).toBe(404);
    expect((await remove(created.id)).status).toBe(404);
    expect((await remove(created.id, bearer(owner))).status).toBe(204);
  });
});
