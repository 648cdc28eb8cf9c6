// A_A's /jobtimes/: the typical run time of each job, from its complete submissions.
import type { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { aaResource } from './aa-routing.ts';
import { typicalRunTime } from './job-time-mode.ts';

// A_A sampled at most this many submissions; these are the most recent, where A_A's were arbitrary.
const MAX_SAMPLES = 5000;
const RUN_TIME = sql`coalesce(submissions.finished_at, submissions.updated_at) - submissions.created_at`;

export function registerFacadeJobTimesRoute(app: Hono<AppEnv>, deps: AppDeps) {
  aaResource(app, ['/jobtimes/', '/jobtimes', '/jobtimes.json', '/jobtimes.json/'], {
    name: 'Job Times',
    handlers: {
      GET: async (c) => {
        // Whole seconds from creation to the end, as A_A's age(modified, created); deleted jobs are skipped.
        const rows = await deps.db
          .selectFrom('submissions')
          .innerJoin('jobs', 'jobs.id', 'submissions.job_id')
          .select(['jobs.name', sql<number>`floor(extract(epoch from ${RUN_TIME}))::integer`.as('seconds')])
          .where('submissions.status', '=', 'complete')
          .orderBy('submissions.finished_at', 'desc')
          .limit(MAX_SAMPLES)
          .execute();
        const byJob = new Map<string, number[]>();
        for (const row of rows) byJob.set(row.name, [...(byJob.get(row.name) ?? []), row.seconds]);
        const names = [...byJob.keys()].sort();
        return c.json(Object.fromEntries(names.map((name) => [name, typicalRunTime(byJob.get(name)!)])));
      },
    },
  });
}
