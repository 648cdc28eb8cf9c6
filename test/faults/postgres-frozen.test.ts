import { createApp } from '../../src/api/create-app.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { createLogger } from '../../src/logger.ts';
import { TemporalGateway } from '../../src/temporal/temporal-connection.ts';
import { recordMeasurement } from '../helpers/measurements.ts';
import { OwnPostgres } from '../helpers/own-postgres.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart } from '../helpers/submission-client.ts';
import { readJson } from '../helpers/test-app.ts';
import { testConfig, uniqueName } from '../helpers/test-stack.ts';

const postgres = new OwnPostgres();
let db: Db;
let temporal: TemporalGateway;
let app: ReturnType<typeof createApp>;
const job = uniqueName('job');

beforeAll(async () => {
  await postgres.start();
  const config = testConfig({ DATABASE_URL: postgres.url, DATABASE_CONNECT_TIMEOUT_SECONDS: '2' });
  // As run-api.ts builds it: every query bounded.
  db = createDb({ url: postgres.url, poolSize: 3, connectTimeoutSeconds: 2, queryTimeoutSeconds: 2 });
  temporal = new TemporalGateway(config.temporal);
  app = createApp({ config, db, temporal, logger: createLogger('silent', 'test-api') });
  const backend = uniqueName('frozen');
  await seedBackend(db, backend, `backend.${backend}`);
  await seedTask(db, { name: job, backend, executable: 'true' });
  await seedJob(db, job, [{ task: job, ordering: 0 }]);
}, 120_000);

afterAll(async () => {
  await postgres.thaw().catch(() => {});
  await temporal.close();
  await db.destroy();
  await postgres.remove();
});

async function timed(request: () => Promise<Response> | Response) {
  const started = Date.now();
  const res = await request();
  return { status: res.status, body: await readJson(res), ms: Date.now() - started };
}

describe('PostgreSQL frozen (SIGSTOP)', () => {
  it('answers 503 database_unavailable instead of hanging, and answers as before once it is thawed', async () => {
    // An unknown id: answering 404 takes a query.
    const list = () => app.request('/api/v1/submissions/00000000-0000-4000-8000-000000000000');
    // Warm connections: the frozen server then holds them open without a word.
    expect((await list()).status).toBe(404);

    await postgres.freeze();
    try {
      const answers = await Promise.all([
        timed(list),
        timed(list),
        timed(() =>
          app.request(`/api/v1/jobs/${job}/submissions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ submissionName: 'frozen', input: 'x' }),
          }),
        ),
        timed(() => postMultipart(app, job, {})),
        timed(list),
      ]);
      for (const answer of answers) {
        expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
          status: 503,
          code: 'database_unavailable',
        });
        recordMeasurement('API answer while PostgreSQL is frozen', answer.ms, 'ms');
      }
    } finally {
      await postgres.thaw();
    }

    let status = 0;
    for (let i = 0; i < 50 && status !== 404; i++) {
      status = (await list()).status;
      if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(404);
  }, 120_000);
});
