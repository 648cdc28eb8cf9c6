import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { cancelSubmission } from './submission-api.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa cancel ID [--token TOKEN] [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Asks the API to cancel a submission (POST /api/v1/submissions/ID/cancel): its running
  processes get SIGTERM, then SIGKILL, and it ends as cancelled (aa watch ID exits 3 then).

  --token TOKEN  the control token aa submit printed for a submission made without an API key
                 (sent as the Submission-Token header); your own submissions with your key,
                 and an admin key, need none

  Exits 0 when the cancel was accepted, 1 when it was refused (the submission has already
  ended: HTTP 409; no token or a wrong one: 403; or no such submission: 404), 2 on a bad
  command line.`;

async function cancel(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, token: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('give one submission id');
  const id = positionals[0]!;
  const answer = await cancelSubmission(loadConfig().cli, id, values.token);
  if (values.json) console.log(JSON.stringify(answer, null, 2));
  else if (answer.status === 'cancelled') console.log(`${id} is cancelled`);
  else console.log(`Cancel requested for ${id} (status now ${answer.status}); its processes are being stopped`);
  return EXIT.ok;
}

export const run: RunCommand = userCommand('cancel', HELP, cancel);
