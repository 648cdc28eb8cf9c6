import { createApp } from '../../src/api/create-app.ts';
import type { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { createLogger } from '../../src/logger.ts';
import { TemporalGateway } from '../../src/temporal/temporal-connection.ts';
import { recordMeasurement } from '../helpers/measurements.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, postMultipart } from '../helpers/submission-client.ts';
import { readJson } from '../helpers/test-app.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { testConfig, uniqueName } from '../helpers/test-stack.ts';
import { spawnWorkerProcess, stopAllWorkerProcesses, workerEnv } from '../helpers/worker-processes.ts';

const direct = testConfig();
const target = new URL(direct.database.url!);
const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
let config: ReturnType<typeof loadConfig>;
let db: Db;
let seedDb: Db;
let temporal: TemporalGateway;
let app: ReturnType<typeof createApp>;
const backend = uniqueName('pgdown');

async function timed(request: () => Promise<Response> | Response) {
  const started = Date.now();
  const res = await request();
  return { res, ms: Date.now() - started, body: await readJson(res) };
}

beforeAll(async () => {
  await proxy.start();
  const url = new URL(direct.database.url!);
  url.port = String(proxy.port);
  // API and workers reach PostgreSQL only through the proxy the test cuts.
  config = testConfig({
    DATABASE_URL: url.toString(),
    DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
    HEARTBEAT_TIMEOUT_SECONDS: '3',
  });
  db = createDb({
    url: config.database.url!,
    poolSize: 5,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
  });
  seedDb = createDb({ url: direct.database.url!, poolSize: 2 });
  temporal = new TemporalGateway(config.temporal);
  app = createApp({ config, db, temporal, logger: createLogger('silent', 'test-api') });
  await seedBackend(seedDb, backend, `backend.${backend}`);
});

afterAll(async () => {
  await stopAllWorkerProcesses();
  await proxy.stop();
  await temporal.close();
  await db.destroy();
  await seedDb.destroy();
});

describe('PostgreSQL unreachable in the middle of a run', () => {
  it('answers 503 database_unavailable within the connect timeout, and the run completes once it is back', async () => {
    const job = uniqueName('job');
    await seedTask(seedDb, {
      name: `${job}-first`,
      backend,
      executable: `sh -c 'sleep 3; echo one > "$1"' sh $O1`,
      outputs: ['.one'],
    });
    await seedTask(seedDb, {
      name: `${job}-second`,
      backend,
      executable: `sh -c 'cat "$1" > "$2"; echo two >> "$2"' sh $I1 $O1`,
      inputs: ['.one'],
      outputs: ['.two'],
    });
    await seedJob(seedDb, job, [
      { task: `${job}-first`, ordering: 0 },
      { task: `${job}-second`, ordering: 1 },
    ]);
    const env = workerEnv(config, { DATABASE_CONNECT_TIMEOUT_SECONDS: '2' });
    await Promise.all([spawnWorkerProcess(['--orchestrator'], env), spawnWorkerProcess(['--backend', backend], env)]);
    const { id } = await readJson(await postMultipart(app, job, {}));
    const stepStatus = async (index: number) =>
      (
        await seedDb
          .selectFrom('step_runs')
          .select('status')
          .where('submission_id', '=', id)
          .where('step_index', '=', index)
          .executeTakeFirst()
      )?.status;
    expect(await waitUntil(async () => (await stepStatus(0)) === 'running', 30_000)).toBe(true);

    // Packets dropped: open connections break, new ones are accepted but nothing answers.
    await proxy.setMode('blackhole');
    for (let i = 0; i < 2; i++) {
      const silent = await timed(() => app.request(`/api/v1/submissions/${id}`));
      expect(silent.res.status).toBe(503);
      expect(silent.body.error.code).toBe('database_unavailable');
      expect(silent.ms).toBeLessThan(config.database.connectTimeoutSeconds * 1000 + 2000);
      recordMeasurement('API answer while PostgreSQL drops packets', silent.ms, 'ms');
    }

    // Server gone: connections refused.
    await proxy.setMode('refuse');
    const refused = await timed(() => app.request(`/api/v1/submissions/${id}`));
    expect(refused.res.status).toBe(503);
    expect(refused.body.error.code).toBe('database_unavailable');
    const post = await timed(() => postMultipart(app, job, {}));
    expect(post.res.status).toBe(503);
    expect(post.body.error.code).toBe('database_unavailable');
    // The first step ends during the outage; its results wait for the database.
    await new Promise((resolve) => setTimeout(resolve, 6000));

    await proxy.setMode('forward');
    let body;
    expect(
      await waitUntil(
        async () => {
          const res = await app.request(`/api/v1/submissions/${id}`);
          body = res.status === 200 ? await readJson(res) : undefined;
          return body?.status === 'complete';
        },
        60_000,
        500,
      ),
    ).toBe(true);
    const view = body as unknown as {
      stages: { steps: { attempt: number }[] }[];
      files: { name: string; url: string }[];
    };
    // The outage cost time, not an attempt.
    expect(view.stages[0]!.steps[0]!.attempt).toBe(1);
    const two = view.files.find((f) => f.name === `${id}.two`)!;
    expect(await fileText(app, two.url)).toBe('one\ntwo\n');
  }, 120_000);
});
