// A_A's /jobtimes/: the typical run time of each job, from its complete submissions.
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { listCompletedRunTimes } from '../submissions/submission-repository.ts';
import { aaResource } from './aa-routing.ts';
import { typicalRunTime } from '../domain/typical-run-time.ts';

// A_A sampled at most this many submissions; these are the most recent, where A_A's were arbitrary.
const MAX_SAMPLES = 5000;

export function registerFacadeJobTimesRoute(app: Hono<AppEnv>, deps: AppDeps) {
  aaResource(app, ['/jobtimes/', '/jobtimes', '/jobtimes.json', '/jobtimes.json/'], {
    name: 'Job Times',
    handlers: {
      GET: async (c) => {
        // Whole seconds from creation to the end; deleted jobs are skipped.
        const rows = await listCompletedRunTimes(deps.db, MAX_SAMPLES);
        const byJob = Map.groupBy(rows, (row) => row.name);
        const names = [...byJob.keys()].sort();
        return c.json(
          Object.fromEntries(names.map((name) => [name, typicalRunTime(byJob.get(name)!.map((row) => row.seconds))])),
        );
      },
    },
  });
}
