import type { Command, RunCommand } from './command.ts';

/**
 * Every `aa` subcommand and its one-line summary, the only place summaries are written. Each
 * command file exports `run: RunCommand` and is imported when it runs, so `aa api` never loads the
 * worker's native runtime and webpack. Command files never import this one.
 */
function lazy(summary: string, load: () => Promise<{ run: RunCommand }>): Command {
  return { summary, run: async (args) => (await load()).run(args) };
}

export const commands: Record<string, Command> = {
  dev: lazy(
    'Run the whole system locally: database, Temporal (with UI), API and workers',
    () => import('./dev-command.ts'),
  ),
  api: lazy('Serve the REST API (PORT, DATABASE_URL, TEMPORAL_ADDRESS)', () => import('./api-command.ts')),
  worker: lazy('Run Temporal workers: the orchestrator and/or backends', () => import('./worker-command.ts')),
  migrate: lazy('Apply pending database migrations (DATABASE_URL)', () => import('./migrate-command.ts')),
  keys: lazy('Create, list and revoke API keys directly in the database', () => import('./keys-command.ts')),
  config: lazy(
    'Export or import the whole configuration as YAML; import an A_A dump',
    () => import('./config-command.ts'),
  ),
  submit: lazy('Submit a file to a job; --wait follows it to the end', () => import('./submit-command.ts')),
  status: lazy("Show a submission's status, stages, steps and files", () => import('./status-command.ts')),
  watch: lazy('Follow a submission live until it ends', () => import('./watch-command.ts')),
  results: lazy("Download a submission's result files, verifying sha256", () => import('./results-command.ts')),
  cancel: lazy('Cancel a submission: its processes are stopped', () => import('./cancel-command.ts')),
  jobs: lazy('List the jobs you can submit to', () => import('./jobs-command.ts')),
  rerun: lazy(
    'Re-run a submission against the current configuration, reusing unchanged steps',
    () => import('./rerun-command.ts'),
  ),
  datasets: lazy('Upload, list, show, download and delete datasets', () => import('./datasets-command.ts')),
  schedules: lazy(
    'Run a job periodically: create, list, pause, trigger, backfill, delete',
    () => import('./schedules-command.ts'),
  ),
};
