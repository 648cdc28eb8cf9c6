import type { Command } from './command.ts';

/** Each command is imported when it runs, so `aa api` never loads the worker's native runtime and webpack. */
function lazy(summary: string, load: () => Promise<Command['run']>): Command {
  return { summary, run: async (args) => (await load())(args) };
}

export const commands: Record<string, Command> = {
  dev: lazy('Run the whole system locally: database, Temporal (with UI), API and workers', () =>
    import('./dev-command.ts').then((m) => m.run),
  ),
  api: lazy('Serve the REST API (PORT, DATABASE_URL, TEMPORAL_ADDRESS)', () =>
    import('./api-command.ts').then((m) => m.run),
  ),
  worker: lazy('Run Temporal workers: the orchestrator and/or backends', () =>
    import('./worker-command.ts').then((m) => m.run),
  ),
  migrate: lazy('Apply pending database migrations (DATABASE_URL)', () =>
    import('./migrate-command.ts').then((m) => m.run),
  ),
  keys: lazy('Create, list and revoke API keys directly in the database', () =>
    import('./keys-command.ts').then((m) => m.keysCommand.run),
  ),
  config: lazy('Export or import the whole configuration as YAML; import an A_A dump', () =>
    import('./config-command.ts').then((m) => m.configCommand.run),
  ),
  submit: lazy('Submit a file to a job; --wait follows it to the end', () =>
    import('./submit-command.ts').then((m) => m.submitCommand.run),
  ),
  status: lazy("Show a submission's status, stages, steps and files", () =>
    import('./status-command.ts').then((m) => m.statusCommand.run),
  ),
  watch: lazy('Follow a submission live until it ends', () =>
    import('./watch-command.ts').then((m) => m.watchCommand.run),
  ),
  results: lazy("Download a submission's result files, verifying sha256", () =>
    import('./results-command.ts').then((m) => m.resultsCommand.run),
  ),
  cancel: lazy('Cancel a submission: its processes are stopped', () =>
    import('./cancel-command.ts').then((m) => m.cancelCommand.run),
  ),
  jobs: lazy('List the jobs you can submit to', () => import('./jobs-command.ts').then((m) => m.jobsCommand.run)),
};
