import type { Db } from '../../src/db/create-db.ts';
import { FACADE } from '../helpers/facade-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
let job: string;
const backend = uniqueName('facade-idem');
const queue = `backend.${backend}`;

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  job = uniqueName('fidem');
  await seedTask(db, { name: job, backend, executable: 'true', inputs: ['.txt'] });
  await seedJob(db, job, [{ task: job, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

function post(name: string, input: string, key?: string) {
  const form = new FormData();
  form.set('job', job);
  form.set('submission_name', name);
  form.set('email', '');
  form.set('input_data', new Blob([input]), 'input.txt');
  return t.app.request(`${FACADE}/submission/`, {
    method: 'POST',
    body: form,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

const batches = async (name: string) =>
  new Set(
    (await db.selectFrom('submissions').select('batch_id').where('name', '=', name).execute()).map((r) => r.batch_id),
  ).size;

describe('Idempotency-Key on the A_A facade POST submission/', () => {
  it('answers the same key twice with the first batch UUID and starts one batch', async () => {
    const name = uniqueName('f-twice').slice(0, 60);
    const key = crypto.randomUUID();
    const first = await post(name, 'hello\n', key);
    const again = await post(name, 'hello\n', key);

    expect([first.status, again.status]).toEqual([201, 201]);
    expect(await readJson(again)).toEqual(await readJson(first));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await batches(name)).toBe(1);
  });

  it('refuses the same key with another upload with 422 and an A_A-style error body', async () => {
    const name = uniqueName('f-reused').slice(0, 60);
    const key = crypto.randomUUID();
    expect((await post(name, 'one\n', key)).status).toBe(201);
    const other = await post(name, 'two\n', key);

    expect(other.status).toBe(422);
    expect(await readJson(other)).toEqual({ error: expect.stringContaining('different request') });
    expect(await batches(name)).toBe(1);
  });

  it('starts two batches for two POSTs without a key', async () => {
    const name = uniqueName('f-nokey').slice(0, 60);
    expect((await post(name, 'hello\n')).status).toBe(201);
    expect((await post(name, 'hello\n')).status).toBe(201);
    expect(await batches(name)).toBe(2);
  });

  it('refuses a malformed key with 400 and A_A’s error body', async () => {
    const res = await post(uniqueName('f-bad').slice(0, 60), 'x', 'has space');
    expect(res.status).toBe(400);
    expect((await readJson(res)).error).toMatch(/Idempotency-Key/);
  });
});
