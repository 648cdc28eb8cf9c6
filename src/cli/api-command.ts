import { runApi } from '../api/run-api.ts';
import { loadConfig } from '../config.ts';
import type { Command } from './commands.ts';

export const apiCommand: Command = {
  summary: 'Serve the REST API (PORT, DATABASE_URL, TEMPORAL_ADDRESS)',
  async run() {
    await runApi(loadConfig());
    return 0;
  },
};
