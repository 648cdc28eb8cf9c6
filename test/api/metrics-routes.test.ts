import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { sampleValue } from '../helpers/prometheus-text.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { testConfig, uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;

async function scrape(app = t.app) {
  const res = await app.request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

async function insertSubmission(db: Db, job: string, status: 'running' | 'complete' | 'error') {
  const id = randomUUID();
  await db
    .insertInto('submissions')
    .values({ id, job_name: job, name: 'm', client_identity: 'test', status })
    .execute();
  return id;
}

/** A step that waited `waitSeconds` in the queue and then ran `runSeconds`. */
async function insertStepRun(
  db: Db,
  submissionId: string,
  index: number,
  task: string,
  waitSeconds: number,
  runSeconds: number,
) {
  const seconds = (s: number) => sql<Date>`now() - make_interval(secs => ${s}::float8)`;
  await db
    .insertInto('step_runs')
    .values({
      submission_id: submissionId,
      step_index: index,
      stage: 0,
      task_name: task,
      backend: 'gpu',
      status: 'complete',
      scheduled_at: seconds(100 + waitSeconds),
      started_at: seconds(100),
      finished_at: seconds(100 - runSeconds),
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('GET /metrics', () => {
  it('counts submissions by job and status', async () => {
    const job = uniqueName('metrics-job');
    await insertSubmission(t.db, job, 'complete');
    await insertSubmission(t.db, job, 'complete');
    await insertSubmission(t.db, job, 'error');

    const text = await scrape();
    expect(sampleValue(text, 'aa_submissions', { job, status: 'complete' })).toBe(2);
    expect(sampleValue(text, 'aa_submissions', { job, status: 'error' })).toBe(1);
    expect(sampleValue(text, 'aa_submissions', { job, status: 'running' })).toBeUndefined();

    await insertSubmission(t.db, job, 'running');
    expect(sampleValue(await scrape(), 'aa_submissions', { job, status: 'running' })).toBe(1);
  });

  it('reports step durations and queue waits per task as histograms', async () => {
    const task = uniqueName('metrics-task');
    const submissionId = await insertSubmission(t.db, 'metrics-steps', 'complete');
    await insertStepRun(t.db, submissionId, 0, task, 0.3, 2);
    await insertStepRun(t.db, submissionId, 1, task, 10, 30);

    const text = await scrape();
    const run = { task, backend: 'gpu', status: 'complete' };
    expect(sampleValue(text, 'aa_step_duration_seconds_bucket', { ...run, le: '1' })).toBe(0);
    expect(sampleValue(text, 'aa_step_duration_seconds_bucket', { ...run, le: '5' })).toBe(1);
    expect(sampleValue(text, 'aa_step_duration_seconds_bucket', { ...run, le: '60' })).toBe(2);
    expect(sampleValue(text, 'aa_step_duration_seconds_bucket', { ...run, le: '+Inf' })).toBe(2);
    expect(sampleValue(text, 'aa_step_duration_seconds_count', run)).toBe(2);
    expect(sampleValue(text, 'aa_step_duration_seconds_sum', run)).toBeCloseTo(32, 3);
    const queue = { task, backend: 'gpu' };
    expect(sampleValue(text, 'aa_step_queue_wait_seconds_bucket', { ...queue, le: '0.1' })).toBe(0);
    expect(sampleValue(text, 'aa_step_queue_wait_seconds_bucket', { ...queue, le: '0.5' })).toBe(1);
    expect(sampleValue(text, 'aa_step_queue_wait_seconds_bucket', { ...queue, le: '15' })).toBe(2);
    expect(sampleValue(text, 'aa_step_queue_wait_seconds_sum', queue)).toBeCloseTo(10.3, 3);
    expect(text).toContain('# TYPE aa_step_duration_seconds histogram');
  });

  it('observes API latency labelled by route pattern, with unmatched paths in one label', async () => {
    const { app, close } = await createTestApp();
    try {
      await app.request('/healthz');
      await app.request('/healthz');
      await app.request(`/no/such/${randomUUID()}`);

      const text = await scrape(app);
      expect(
        sampleValue(text, 'aa_http_request_duration_seconds_count', {
          method: 'GET',
          route: '/healthz',
          status: '200',
        }),
      ).toBe(2);
      expect(
        sampleValue(text, 'aa_http_request_duration_seconds_count', {
          method: 'GET',
          route: 'unmatched',
          status: '404',
        }),
      ).toBe(1);
      expect(text).not.toContain('/no/such/');
    } finally {
      await close();
    }
  });
});

describe('GET /metrics while PostgreSQL is down', () => {
  const target = new URL(testConfig().database.url!);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  let proxied: TestApp;

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(target);
    url.port = String(proxy.port);
    // This app reaches PostgreSQL only through the proxy the test cuts.
    proxied = await createTestApp({ DATABASE_URL: url.toString(), DATABASE_CONNECT_TIMEOUT_SECONDS: '2' });
  });

  afterAll(async () => {
    await proxy.setMode('forward');
    await proxied.close();
    await proxy.stop();
  });

  it('answers with process metrics and the last database values marked stale, and fresh ones once it is back', async () => {
    const job = uniqueName('metrics-outage');
    await insertSubmission(t.db, job, 'complete');
    const before = await scrape(proxied.app);
    expect(sampleValue(before, 'aa_database_up')).toBe(1);
    expect(sampleValue(before, 'aa_submissions', { job, status: 'complete' })).toBe(1);
    const readAt = sampleValue(before, 'aa_database_metrics_timestamp_seconds')!;
    expect(readAt).toBeGreaterThan(Date.now() / 1000 - 60);

    await proxy.setMode('refuse');
    await insertSubmission(t.db, job, 'complete');
    const during = await scrape(proxied.app);
    expect(sampleValue(during, 'aa_database_up')).toBe(0);
    expect(sampleValue(during, 'aa_database_metrics_timestamp_seconds')).toBe(readAt);
    expect(sampleValue(during, 'aa_submissions', { job, status: 'complete' })).toBe(1);
    expect(sampleValue(during, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(during).toContain('# TYPE aa_http_request_duration_seconds histogram');

    await proxy.setMode('forward');
    const after = await scrape(proxied.app);
    expect(sampleValue(after, 'aa_database_up')).toBe(1);
    expect(sampleValue(after, 'aa_submissions', { job, status: 'complete' })).toBe(2);
    expect(sampleValue(after, 'aa_database_metrics_timestamp_seconds')).toBeGreaterThanOrEqual(readAt);
  });
});
