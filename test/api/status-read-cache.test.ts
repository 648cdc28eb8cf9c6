// Status GETs and submitting are served from memory kept current by PostgreSQL's change notices
// (src/submissions/notified-cache.ts). Two real API processes over one database: whatever a worker,
// the other process or a plain SQL statement commits is in the very next GET of each.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { LISTENER_NAME } from '../../src/submissions/submission-events.ts';
import { endSubmission, markSubmissionRunning } from '../../src/submissions/submission-transitions.ts';
import { appendMessage } from '../../src/submissions/submission-message-repository.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { API_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { spawnAa, stackEnv, type SpawnedProcess } from '../helpers/spawned-stack.ts';
import { testDb, uniqueName } from '../helpers/test-stack.ts';

const ADMIN_TOKEN = randomUUID();
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let db: Db;
const apis: (SpawnedProcess & { url: string })[] = [];

/** `aa api` on a free port; started together, so a busy machine gets a minute for both. */
async function startApi() {
  const port = await freePort();
  const api = { ...spawnAa(['api'], stackEnv({ ADMIN_TOKEN, PORT: String(port) }), API_NODE_FLAGS) };
  const url = `http://127.0.0.1:${port}`;
  apis.push({ ...api, url });
  const up = await waitUntil(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 60_000, 100);
  if (!up) throw new Error('aa api did not start');
}

beforeAll(async () => {
  db = testDb();
  await Promise.all([startApi(), startApi()]);
}, 90_000);

afterAll(async () => {
  await Promise.all(apis.map((api) => api.stop()));
  await db.destroy();
});

/** A submission as a POST leaves it, optionally in a batch: anonymous, so readable by its id. */
async function insertSubmission(batchId: string | null = null): Promise<string> {
  const id = randomUUID();
  if (batchId)
    await db
      .insertInto('batches')
      .values({ id: batchId })
      .onConflict((c) => c.doNothing())
      .execute();
  await db
    .insertInto('submissions')
    .values({ id, batch_id: batchId, job_name: 'cached', name: 'run', client_identity: 'test', status: 'submitted' })
    .execute();
  await appendMessage(db, id, null, 'submitted', 'Submitted');
  return id;
}

async function get(api: { url: string }, path: string) {
  const res = await fetch(`${api.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Reads a path through every API process twice, so each has it in memory. */
async function warm(path: string) {
  for (const api of apis) for (let i = 0; i < 2; i++) expect((await get(api, path)).status).toBe(200);
}

describe('status reads kept in memory', () => {
  it('show every change a worker records in the next GET of each API process', async () => {
    const id = await insertSubmission();
    const path = `/api/v1/submissions/${id}`;
    await warm(path);
    for (const api of apis) expect((await get(api, path)).body).toMatchObject({ status: 'submitted' });

    await markSubmissionRunning(db, id);
    for (const api of apis) expect((await get(api, path)).body).toMatchObject({ status: 'running' });

    await endSubmission(db, id, 'complete', 'Finished');
    for (const api of apis) {
      const { body } = await get(api, path);
      expect(body).toMatchObject({ status: 'complete', lastMessage: 'Finished' });
      expect((body.messages as { status: string }[]).map((m) => m.status)).toEqual([
        'submitted',
        'running',
        'complete',
      ]);
    }
  });

  it('show a change made by a plain SQL statement that notifies nobody itself', async () => {
    const id = await insertSubmission();
    const path = `/api/v1/submissions/${id}`;
    await warm(path);

    await db.updateTable('submissions').set({ last_message: 'Changed by hand' }).where('id', '=', id).execute();

    for (const api of apis) expect((await get(api, path)).body).toMatchObject({ lastMessage: 'Changed by hand' });
  });

  it('answer 410 in one process for a submission deleted through the other, and the facade 404', async () => {
    const batchId = randomUUID();
    const id = await insertSubmission(batchId);
    await endSubmission(db, id, 'complete', 'Finished');
    const paths = [
      `/api/v1/submissions/${id}`,
      `/analytics_automated/submission/single/${id}`,
      `/analytics_automated/submission/${batchId}`,
    ];
    for (const path of paths) await warm(path);

    const res = await fetch(`${apis[1]!.url}/api/v1/submissions/${id}`, { method: 'DELETE', headers: admin });
    expect(res.status).toBeLessThan(300);

    const [native, single, batch] = await Promise.all(paths.map((path) => get(apis[0]!, path)));
    expect(native!.status).toBe(410);
    expect(single!.status).toBe(404);
    expect(batch!.status).toBe(404);
  });

  it("keep the facade's batch GET current with its submissions' states and members", async () => {
    const batchId = randomUUID();
    const first = await insertSubmission(batchId);
    const path = `/analytics_automated/submission/${batchId}`;
    await warm(path);

    await markSubmissionRunning(db, first);
    for (const api of apis) expect((await get(api, path)).body).toMatchObject({ state: 'Running' });

    const second = await insertSubmission(batchId);
    await endSubmission(db, first, 'complete', 'Finished');
    for (const api of apis) {
      const { body } = await get(api, path);
      const members = body.submissions as { UUID: string; state: string }[];
      expect(members.map((m) => [m.UUID, m.state]).sort()).toEqual(
        [
          [first, 'Complete'],
          [second, 'Submitted'],
        ].sort(),
      );
      expect(body.state).toBe('Running');
    }
  });

  it('read the database again after the listening connection was lost', async () => {
    const id = await insertSubmission();
    const path = `/api/v1/submissions/${id}`;
    await warm(path);

    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${LISTENER_NAME} and datname = current_database()`.execute(db);
    await endSubmission(db, id, 'error', 'Failed while nobody listened');

    for (const api of apis) {
      expect((await get(api, path)).body).toMatchObject({
        status: 'error',
        lastMessage: 'Failed while nobody listened',
      });
    }
  });
});

describe('job definitions kept in memory for submitting', () => {
  it('refuse a job disabled by another process at the next POST', async () => {
    const backend = uniqueName('cache');
    const job = uniqueName('job');
    await seedBackend(db, backend, `backend.${backend}`);
    await seedTask(db, { name: `${job}-task`, backend, executable: 'true' });
    await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
    const post = (api: { url: string }) =>
      fetch(`${api.url}/api/v1/jobs/${job}/submissions`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ submissionName: 'cached job' }),
      });
    for (const api of apis) expect((await post(api)).status).toBe(201);

    await db.updateTable('jobs').set({ runnable: false }).where('name', '=', job).execute();

    for (const api of apis) expect((await post(api)).status).toBe(403);
  });
});
