import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTestKey, bearer } from '../helpers/api-keys.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

// A_A's throttle (docs/design.md "Priority, limits, fairness"): what POST stores and what Temporal gets.
let unlimited: TestApp;
let limited: TestApp;
let job: string;

async function post(t: TestApp, headers: Record<string, string> = {}) {
  const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ submissionName: 'priority', input: 'x\n' }),
  });
  return { status: res.status, body: await readJson(res) };
}

/** POSTs over real HTTP from its own loopback address, so this anonymous client's IP is its alone. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function postFrom(t: TestApp, sourceIp: string): Promise<{ status: number; body: any }> {
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, localAddress: sourceIp, method: 'POST', path: `/api/v1/jobs/${job}/submissions` },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.setHeader('content-type', 'application/json');
      req.end(JSON.stringify({ submissionName: 'priority', input: 'x\n' }));
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The priority column POST stored, and the priority the submission's workflow runs with. */
async function storedPriority(t: TestApp, id: string) {
  const row = await t.db
    .selectFrom('submissions')
    .select(['priority', 'client_identity'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const client = await t.temporal.client();
  const { priority } = await client.workflow.getHandle(`submission-${id}`).describe();
  return { column: row.priority, identity: row.client_identity, temporal: priority };
}

beforeAll(async () => {
  unlimited = await createTestApp();
  limited = await createTestApp({ QUEUE_SOFT_LIMIT: '2', QUEUE_HARD_LIMIT: '3' });
  // No worker serves this queue, so every submission stays active and counts against its client.
  const backend = uniqueName('priority');
  await seedBackend(unlimited.db, backend, `backend.${backend}`);
  job = uniqueName('job');
  await seedTask(unlimited.db, { name: `${job}-task`, backend, executable: 'true' });
  await seedJob(unlimited.db, job, [{ task: `${job}-task`, ordering: 0 }]);
});

afterAll(async () => {
  await unlimited.close();
  await limited.close();
});

describe('submission priority after POST', () => {
  it('stores normal priority 1 for an anonymous client, keyed by its IP, as Temporal priority key 3', async () => {
    const { status, body } = await post(unlimited);
    expect(status).toBe(201);
    const stored = await storedPriority(unlimited, body.id);
    expect(stored).toEqual({
      column: 1,
      identity: 'ip:127.0.0.1',
      temporal: expect.objectContaining({ priorityKey: 3, fairnessKey: 'ip:127.0.0.1' }),
    });
  });

  it('stores high priority 2 for a logged-in client, keyed by its user, as Temporal priority key 2', async () => {
    const key = await createTestKey(unlimited.db, 'submitter');
    const { status, body } = await post(unlimited, bearer(key));
    expect(status).toBe(201);
    const stored = await storedPriority(unlimited, body.id);
    expect(stored.column).toBe(2);
    expect(stored.identity).toMatch(/^user:/);
    expect(stored.temporal).toEqual(expect.objectContaining({ priorityKey: 2, fairnessKey: stored.identity }));
  });

  it('lowers the priority at the soft limit and refuses with 429 at the hard limit, per client', async () => {
    const heavy = await createTestKey(limited.db, 'submitter');
    const other = await createTestKey(limited.db, 'submitter');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post(limited, bearer(heavy)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429]);
    expect(answers[3]!.body.error.code).toBe('too_many_requests');
    const stored = await Promise.all(answers.slice(0, 3).map((a) => storedPriority(limited, a.body.id)));
    expect(stored.map((s) => s.column)).toEqual([2, 2, 1]);
    expect(stored.map((s) => s.temporal?.priorityKey)).toEqual([2, 2, 3]);

    const light = await post(limited, bearer(other));
    expect(light.status).toBe(201);
    expect((await storedPriority(limited, light.body.id)).column).toBe(2);
  });

  it('gives an anonymous client at the soft limit low priority 0 and 429 at the hard limit, counted by its IP', async () => {
    const ip = `127.0.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await postFrom(limited, ip));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429]);
    const stored = await Promise.all(answers.slice(0, 3).map((a) => storedPriority(limited, a.body.id)));
    expect(stored.map((s) => s.column)).toEqual([1, 1, 0]);
    expect(stored.map((s) => s.identity)).toEqual([`ip:${ip}`, `ip:${ip}`, `ip:${ip}`]);
    expect(stored.map((s) => s.temporal?.priorityKey)).toEqual([3, 3, 4]);
  });
});
