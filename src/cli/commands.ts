import { apiCommand } from './api-command.ts';
import { cancelCommand } from './cancel-command.ts';
import { devCommand } from './dev-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { workerCommand } from './worker-command.ts';

export interface Command {
  summary: string;
  /** Returns the process exit code. */
  run: (args: string[]) => Promise<number>;
}

export const commands: Record<string, Command> = {
  dev: devCommand,
  api: apiCommand,
  worker: workerCommand,
  migrate: migrateCommand,
  cancel: cancelCommand,
};
