import { Job, JobInput } from '../catalog/job-schemas.ts';
import { deleteJob, getJob, listJobs, putJob } from '../catalog/job-service.ts';
import type { AppDeps } from './app-env.ts';
import { createCatalogRoutes } from './catalog-routes.ts';
import { registerJobReadRoutes } from './job-read-routes.ts';
import { loadValidators } from '../validators/load-validators.ts';

/** Mounted at /api/v1/jobs. */
export function createJobRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const app = createCatalogRoutes({
    noun: 'job',
    schema: Job,
    inputSchema: JobInput,
    summaries: {
      list: 'List jobs with their steps (in stage order) and validators',
      get: 'Get a job',
      put: 'Create or replace a job (steps and validators are replaced)',
      delete: 'Delete a job',
    },
    // No catalogue object refers to a job; its submissions outlive it (their job_id becomes null).
    deleteCanConflict: false,
    ownReads: true,
    service: {
      list: () => listJobs(db),
      get: (name) => getJob(db, name),
      put: async (entry) => {
        const { job, created } = await putJob(db, entry, await loadValidators(config));
        return { entry: job, created };
      },
      delete: (name) => deleteJob(db, name),
    },
  });
  registerJobReadRoutes(app, deps);
  return app;
}
