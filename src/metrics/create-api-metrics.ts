import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/create-db.ts';
import { STEP_DURATIONS, STEP_QUEUE_WAITS } from '../submissions/step-run-repository.ts';
import { countSubmissionsByJobAndStatus } from '../submissions/submission-repository.ts';
import { SqlHistogram } from './sql-histogram.ts';

const STEP_SECONDS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];
const QUEUE_SECONDS = [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600];
/** A scrape never waits longer than this for PostgreSQL (a frozen server would hang it). */
const DATABASE_SCRAPE_TIMEOUT_MS = 5000;

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * The API's own registries (not prom-client's global one, so several apps in one process never
 * collide): process metrics and request latency observed by the middleware in one; submissions by
 * job and status, step durations and queue waits counted by PostgreSQL at scrape time in the other.
 * While PostgreSQL is down, scrape() still answers, with the last database values it read,
 * `aa_database_up 0` and the time of that last read.
 */
export function createApiMetrics(db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const databaseUp = new Gauge({
    name: 'aa_database_up',
    help: 'Whether the last scrape read the database metrics from PostgreSQL (1) or repeats older values (0)',
    registers: [registry],
  });
  const databaseReadAt = new Gauge({
    name: 'aa_database_metrics_timestamp_seconds',
    help: 'Unix time of the last scrape that read the database metrics (0: never); their values are as of then',
    registers: [registry],
  });
  const fromDatabase = createDatabaseRegistry(db);
  let lastDatabaseText = '';
  const scrape = async (): Promise<string> => {
    try {
      lastDatabaseText = await withTimeout(fromDatabase.metrics(), DATABASE_SCRAPE_TIMEOUT_MS);
      databaseUp.set(1);
      databaseReadAt.set(Date.now() / 1000);
    } catch {
      databaseUp.set(0);
    }
    return `${await registry.metrics()}\n${lastDatabaseText}`;
  };
  const httpDuration = new Histogram({
    name: 'aa_http_request_duration_seconds',
    help: 'API request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  return { scrape, contentType: registry.contentType, httpDuration };
}

function createDatabaseRegistry(db: Db): Registry {
  const registry = new Registry();

  registry.registerMetric(
    new Gauge({
      name: 'aa_submissions',
      help: 'Submissions by job and status',
      labelNames: ['job', 'status'],
      registers: [],
      async collect() {
        const rows = await countSubmissionsByJobAndStatus(db);
        this.reset();
        for (const row of rows) this.set({ job: row.job_name, status: row.status }, Number(row.count));
      },
    }),
  );
  registry.registerMetric(
    new SqlHistogram(db, {
      name: 'aa_step_duration_seconds',
      help: 'Run time of ended steps (their last attempt), by task, backend and status',
      labelNames: ['task', 'backend', 'status'],
      buckets: STEP_SECONDS,
      source: STEP_DURATIONS,
    }),
  );
  registry.registerMetric(
    new SqlHistogram(db, {
      name: 'aa_step_queue_wait_seconds',
      help: "Time a step's attempt waited on its backend's task queue before a worker took it",
      labelNames: ['task', 'backend'],
      buckets: QUEUE_SECONDS,
      source: STEP_QUEUE_WAITS,
    }),
  );
  return registry;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
