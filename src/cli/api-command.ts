import { runApi } from '../api/run-api.ts';
import { loadConfig } from '../config.ts';
import type { RunCommand } from './command.ts';

export const run: RunCommand = async () => {
  await runApi(loadConfig());
  return 0;
};
