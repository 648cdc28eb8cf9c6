import { parseArgs } from 'node:util';
import type { Job } from '../catalog/job-schemas.ts';
import { loadConfig, type Config } from '../config.ts';
import { ApiCallError, cliApi, unwrap } from './api-client.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa jobs [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Lists the jobs. With an admin key: each job's stages, whether it is runnable, and its
  description (GET /api/v1/jobs?view=admin). Without one, the names of the runnable jobs
  (GET /api/v1/jobs?view=public). --json prints an array of jobs (objects with at least "name").`;

/** The admin listing when the key allows it, else the names from the public one (runnable jobs). */
async function listJobs(config: Config['cli']): Promise<{ jobs: (Job | { name: string })[]; full: boolean }> {
  const api = cliApi(config);
  if (config.apiKey) {
    try {
      return {
        jobs: (await unwrap(api.GET('/api/v1/jobs', { params: { query: { view: 'admin' } } }))) as Job[],
        full: true,
      };
    } catch (err) {
      if (!(err instanceof ApiCallError) || err.status !== 403) throw err;
    }
  }
  const jobs = await unwrap(api.GET('/api/v1/jobs', { params: { query: { view: 'public' } } }));
  return { jobs: jobs.map((job) => ({ name: job.name })), full: false };
}

// Stages in order; steps of one stage run side by side.
export function describeStages(job: Job): string {
  const stages = Map.groupBy(job.steps, (step) => step.ordering);
  return [...stages.values()].map((steps) => steps.map((step) => step.task).join(' + ')).join(' -> ') || '(no steps)';
}

async function jobs(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { jobs, full } = await listJobs(loadConfig().cli);
  if (values.json) {
    console.log(JSON.stringify(jobs, null, 2));
    return EXIT.ok;
  }
  if (!full) {
    for (const job of jobs) console.log(job.name);
    console.error('(names only: an admin AA_API_KEY also shows stages and descriptions)');
    return EXIT.ok;
  }
  for (const job of jobs as Job[]) {
    const flags = job.runnable ? '' : ' [not runnable]';
    console.log(`${job.name}${flags}: ${describeStages(job)}${job.description ? `\n    ${job.description}` : ''}`);
  }
  return EXIT.ok;
}

export const run: RunCommand = userCommand('jobs', HELP, jobs);
