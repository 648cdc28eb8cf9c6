import { Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/create-db.ts';
import { STEP_DURATIONS, STEP_QUEUE_WAITS } from '../submissions/step-run-repository.ts';
import { countSubmissionsByJobAndStatus } from '../submissions/submission-repository.ts';
import { SqlHistogram } from './sql-histogram.ts';

const STEP_SECONDS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];
const QUEUE_SECONDS = [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600];

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/**
 * The API's own registry (not prom-client's global one, so several apps in one process never
 * collide): submissions by job and status, step durations and queue waits counted by
 * PostgreSQL at scrape time, and request latency observed by the middleware.
 */
export function createApiMetrics(db: Db) {
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
  const httpDuration = new Histogram({
    name: 'aa_http_request_duration_seconds',
    help: 'API request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  return { registry, httpDuration };
}
