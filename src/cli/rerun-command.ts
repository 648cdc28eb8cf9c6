import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { cliApi, unwrap } from './api-client.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import type { SubmissionCreated } from './submission-api.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa rerun ID [--no-cache] [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Starts a new submission of the same job with the same input and parameters, against the job's
  configuration as it is now (POST /api/v1/submissions/ID/rerun), and prints the new id.
  With the step cache (the default) a step whose key did not change reuses its earlier result
  (status cached): only changed steps and the steps after them run. --no-cache runs every step.

  Exits 0 when the new submission started, 1 when it was refused (no such submission: 404),
  2 on a bad command line.`;

async function rerun(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'no-cache': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give one submission id');
  const id = positionals[0]!;
  const created: SubmissionCreated = await unwrap(
    cliApi(loadConfig().cli).POST('/api/v1/submissions/{id}/rerun', {
      params: { path: { id } },
      body: { cache: !values['no-cache'] },
    }),
  );
  if (values.json) console.log(JSON.stringify(created, null, 2));
  else {
    console.log(created.id);
    console.error(`re-running ${id} as ${created.id}; follow it with: aa watch ${created.id}`);
  }
  return EXIT.ok;
}

export const run: RunCommand = userCommand('rerun', HELP, rerun);
