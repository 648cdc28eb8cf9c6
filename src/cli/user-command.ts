import { runUserCommand } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';

/**
 * The run function of a command that talks to the API on a user's behalf: `--help`/`-h` anywhere
 * prints its help and exits 0; otherwise the body runs with its errors turned into exit codes.
 */
export function userCommand(name: string, help: string, body: RunCommand): RunCommand {
  return async (args) => {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(help);
      return EXIT.ok;
    }
    return runUserCommand(name, help, () => body(args));
  };
}
