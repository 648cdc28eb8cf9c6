import { applyDevSettings, ConfigError } from '../config.ts';
import { commands } from './commands.ts';

const USAGE = `aa: analytics-automated

Usage: aa <command> [options]

${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`)
  .join('\n')}

Run "aa <command> --help" for a command's options.
Exit codes: 0 success, 1 failure (the submission ended in error or crash, or the API refused),
2 usage, 3 the submission was cancelled.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  // `aa dev` decides these itself (an unset DATABASE_URL means "start the embedded one").
  if (name !== 'dev') applyDevSettings();
  const command = commands[name];
  if (!command) {
    console.error(`aa: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exitCode = 1;
  },
);
