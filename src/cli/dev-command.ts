import type { Command } from './commands.ts';

export const devCommand: Command = {
  summary: 'Run the whole system locally: database, Temporal (with UI), API and workers',
  // Imported on demand: the embedded PostgreSQL is a development dependency only.
  run: async () => (await import('../dev/run-dev.ts')).runDev(),
};
