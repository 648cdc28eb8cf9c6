import type { RunCommand } from './command.ts';

// Imported on demand: the embedded PostgreSQL is a development dependency only.
export const run: RunCommand = async () => (await import('../dev/run-dev.ts')).runDev();
