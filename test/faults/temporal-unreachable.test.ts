import { freePort } from '../../src/dev/free-port.ts';
import { recordMeasurement } from '../helpers/measurements.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart } from '../helpers/submission-client.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { testDb, uniqueName } from '../helpers/test-stack.ts';

const silentTemporal = new TcpProxy('127.0.0.1', 9);
const apps: TestApp[] = [];
let job: string;

beforeAll(async () => {
  await silentTemporal.start();
  await silentTemporal.setMode('blackhole');
  const db = testDb();
  const backend = uniqueName('tdown');
  job = uniqueName('job');
  await seedBackend(db, backend, `backend.${backend}`);
  await seedTask(db, { name: `${job}-task`, backend, executable: 'true' });
  await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
  await db.destroy();
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await silentTemporal.stop();
});

describe('Temporal unreachable when a submission is posted', () => {
  it.each([
    ['refuses connections', async () => `127.0.0.1:${await freePort()}`],
    ['accepts connections but never answers', async () => `127.0.0.1:${silentTemporal.port}`],
  ])(
    'answers 503 temporal_unavailable in bounded time when Temporal %s, and marks the stored submission crash with the reason',
    async (how, address) => {
      const t = await createTestApp({ TEMPORAL_ADDRESS: await address() });
      apps.push(t);

      const started = Date.now();
      const res = await postMultipart(t.app, job, {});
      const ms = Date.now() - started;
      recordMeasurement(`POST answer while Temporal ${how}`, ms, 'ms');

      expect(res.status).toBe(503);
      const body = await readJson(res);
      expect(body.error.code).toBe('temporal_unavailable');
      expect(ms).toBeLessThan(15_000);
      const row = await t.db
        .selectFrom('submissions')
        .select(['status', 'last_message'])
        .where('id', '=', body.error.details.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('crash');
      expect(row.last_message).toMatch(/^Could not start the workflow: /);
      const view = await readJson(await t.app.request(`/api/v1/submissions/${body.error.details.id}`));
      expect(view).toMatchObject({ status: 'crash', messages: [{ status: 'submitted' }, { status: 'crash' }] });
    },
  );
});
