import { runApi } from '../api/run-api.ts';
import { loadConfig } from '../config.ts';

export async function run(): Promise<number> {
  await runApi(loadConfig());
  return 0;
}
