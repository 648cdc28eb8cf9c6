export interface Command {
  summary: string;
  /** Returns the process exit code. */
  run: (args: string[]) => Promise<number>;
}

/** Each command is imported when it runs, so `aa api` never loads the worker's native runtime and webpack. */
function lazy(summary: string, load: () => Promise<{ run: Command['run'] }>): Command {
  return { summary, run: async (args) => (await load()).run(args) };
}

export const commands: Record<string, Command> = {
  dev: lazy('Run the whole system locally: database, Temporal (with UI), API and workers', () => import('./dev-command.ts')),
  api: lazy('Serve the REST API (PORT, DATABASE_URL, TEMPORAL_ADDRESS)', () => import('./api-command.ts')),
  worker: lazy('Run Temporal workers: the orchestrator and/or backends', () => import('./worker-command.ts')),
  migrate: lazy('Apply pending database migrations (DATABASE_URL)', () => import('./migrate-command.ts')),
};
