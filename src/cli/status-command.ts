import { parseArgs } from 'node:util';
import type { SubmissionView } from '../api/submission-schemas.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { renderProgress } from './progress-view.ts';
import { getSubmission } from './submission-api.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa status ID [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Prints a submission's status, its stages and steps, and its files; --json prints the API's
  answer (GET /api/v1/submissions/ID). Exits 0 when the status was read, whatever it is (use
  aa watch to wait for the end), 1 when it could not be read, 2 on a bad command line.`;

function fileLines(view: SubmissionView): string[] {
  if (view.files.length === 0) return [];
  const width = Math.max(...view.files.map((f) => f.name.length));
  return [
    '  files:',
    ...view.files.map(
      (f) => `    ${f.kind.padEnd(7)} ${f.name.padEnd(width)}  ${String(f.size).padStart(10)} B  ${f.id}`,
    ),
  ];
}

async function status(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give one submission id');
  const api = loadConfig().cli;
  const view = await getSubmission(api, positionals[0]!);
  if (values.json) {
    console.log(JSON.stringify(view, null, 2));
    return EXIT.ok;
  }
  const tty = process.stdout.isTTY === true;
  const lines = [
    `submission ${view.id}`,
    ...renderProgress(view, {
      now: new Date(),
      color: tty && api.color,
      width: tty ? process.stdout.columns : undefined,
    }),
    ...fileLines(view),
    // An older API has no picture: say nothing rather than fail.
    ...(view.links.graph
      ? [`  picture: ${new URL(view.links.graph.replace(/^\/+/, ''), api.url.endsWith('/') ? api.url : `${api.url}/`)}`]
      : []),
    ...(view.links.temporalUi ? [`  Temporal UI: ${view.links.temporalUi}`] : []),
  ];
  console.log(lines.join('\n'));
  return EXIT.ok;
}

export const run: RunCommand = userCommand('status', HELP, status);
