import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT_CODES_HELP, exitCodeForStatus } from './exit-codes.ts';
import { progressMode, showProgress } from './show-progress.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa watch ID [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Follows a submission until it ends: a live picture of its stages and steps on a terminal, one
  line per change otherwise; --json prints only the finished submission. Ctrl-C stops watching,
  not the submission (aa cancel ID does that).

${EXIT_CODES_HELP}`;

async function watch(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give one submission id');
  const final = await showProgress(loadConfig().cli, positionals[0]!, progressMode(values.json, process.stdout));
  if (values.json) console.log(JSON.stringify(final, null, 2));
  return exitCodeForStatus(final.status);
}

export const run: RunCommand = userCommand('watch', HELP, watch);
