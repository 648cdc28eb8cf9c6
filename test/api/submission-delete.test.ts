import type { Db } from '../../src/db/create-db.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, submitAndWait } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('delete');
const queue = `backend.${backend}`;

async function job(executable: string, outputs: string[] = []): Promise<string> {
  const name = uniqueName('job');
  await seedTask(db, {
    name: `${name}-task`,
    backend,
    executable,
    outputs,
    parameters: [{ alias: 'word', default: 'x' }],
  });
  await seedJob(db, name, [{ task: `${name}-task`, ordering: 0 }]);
  return name;
}

const remove = (id: string) =>
  t.app.request(`/api/v1/submissions/${id}`, { method: 'DELETE', headers: tokenHeader(id) });

async function storedState(id: string) {
  const files = await db.selectFrom('stored_files').select('id').where('submission_id', '=', id).execute();
  const chunks = await db
    .selectFrom('blob_chunks')
    .innerJoin('stored_files', 'stored_files.blob_id', 'blob_chunks.blob_id')
    .select('seq')
    .where('stored_files.submission_id', '=', id)
    .execute();
  const messages = await db.selectFrom('submission_messages').select('id').where('submission_id', '=', id).execute();
  const steps = await db.selectFrom('step_runs').select('id').where('submission_id', '=', id).execute();
  const row = await db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { files: files.length, chunks: chunks.length, messages: messages.length, steps: steps.length, row };
}

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

describe('deleting a submission', () => {
  it('erases files, e-mail address, parameters and messages, keeps a tombstone, and GET then answers 410', async () => {
    const name = await job(`sh -c 'echo result > "$1"' sh $O1`, ['.out']);
    const done = await submitAndWait(t.app, name, { email: 'someone@example.org', [`${name}-task_word`]: 'secret' });
    expect(done.status).toBe('complete');
    const before = await storedState(done.id);
    expect(before.files).toBeGreaterThanOrEqual(2);
    expect(before.chunks).toBeGreaterThanOrEqual(2);

    const res = await remove(done.id);

    expect(res.status).toBe(204);
    const after = await storedState(done.id);
    expect(after).toMatchObject({ files: 0, chunks: 0, messages: 0, steps: 0 });
    expect(after.row).toMatchObject({
      id: done.id,
      job_name: name,
      status: 'deleted',
      email: null,
      name: '',
      parameters: {},
      plan: null,
      ip: null,
    });
    expect(after.row.deleted_at).toBeInstanceOf(Date);
    expect(after.row.created_at).toEqual(before.row.created_at);
    const get = await t.app.request(`/api/v1/submissions/${done.id}`);
    expect(get.status).toBe(410);
    expect((await readJson(get)).error).toMatchObject({
      code: 'gone',
      details: { deletedAt: after.row.deleted_at!.toISOString() },
    });
    expect((await t.app.request(done.files[0].url)).status).toBe(410);
  });

  it('cancels a running submission first: its processes are dead before the rows are erased', async () => {
    const { id } = await readJson(await postMultipart(t.app, await job(`sh -c 'sleep 600 & sleep 600; wait'`), {}));
    expect(await waitUntil(() => processesInDir(id).length === 3, 20_000)).toBe(true);
    const pids = processesInDir(id);

    const res = await remove(id);

    expect(res.status).toBe(204);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await storedState(id)).toMatchObject({ files: 0, messages: 0, steps: 0, row: { status: 'deleted' } });
  });

  it('answers 404 for an unknown submission and 410 for one already deleted', async () => {
    expect((await remove('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const done = await submitAndWait(t.app, await job('true'));
    expect((await remove(done.id)).status).toBe(204);
    const again = await remove(done.id);
    expect(again.status).toBe(410);
    expect((await readJson(again)).error.code).toBe('gone');
  });
});
