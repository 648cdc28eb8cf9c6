import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/create-db.ts';
import { storedBytes as storedBytesIn } from '../helpers/stored-bytes.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('cas');
const queue = `backend.${backend}`;
const jobName = uniqueName('cas-job');

const storedBytes = () => storedBytesIn(db);

async function submit(input: Uint8Array): Promise<string> {
  const res = await postMultipart(t.app, jobName, {}, input, 'big.bin');
  const body = await readJson(res);
  expect(res.status).toBe(201);
  expect((await waitForEnd(t.app, body.id)).status).toBe('complete');
  return body.id;
}

async function downloadInput(id: string): Promise<Buffer> {
  const view = await readJson(await t.app.request(`/api/v1/submissions/${id}`));
  const input = view.files.find((f: { kind: string }) => f.kind === 'input');
  return Buffer.from(await (await t.app.request(input.url)).arrayBuffer());
}

const remove = async (id: string) =>
  expect(
    (await t.app.request(`/api/v1/submissions/${id}`, { method: 'DELETE', headers: tokenHeader(id) })).status,
  ).toBe(204);

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  // The step reads the upload and writes nothing, so the upload is the only new bytes stored.
  await seedTask(db, { name: `${jobName}-task`, backend, executable: 'true', inputs: ['.bin'] });
  await seedJob(db, jobName, [{ task: `${jobName}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('content-addressed storage', () => {
  it('stores the same 50 MB input of three submissions once, and frees it only when the last holder is deleted', async () => {
    const input = randomBytes(50 * 1024 * 1024);
    const before = await storedBytes();

    const ids = [await submit(input), await submit(input), await submit(input)];

    expect((await storedBytes()) - before).toBe(input.byteLength);
    const holders = await db
      .selectFrom('stored_files')
      .select('blob_id')
      .where('submission_id', 'in', ids)
      .where('kind', '=', 'input')
      .execute();
    expect(new Set(holders.map((h) => h.blob_id)).size).toBe(1);

    await remove(ids[0]!);
    expect((await storedBytes()) - before).toBe(input.byteLength);
    const kept = await downloadInput(ids[1]!);
    expect(createHash('sha256').update(kept).digest('hex')).toBe(createHash('sha256').update(input).digest('hex'));

    await remove(ids[1]!);
    await remove(ids[2]!);
    expect((await storedBytes()) - before).toBe(0);
    // 150 MB through the API, three steps staging 50 MB each: allowed more than the default 60 s on a loaded machine.
  }, 180_000);
});
