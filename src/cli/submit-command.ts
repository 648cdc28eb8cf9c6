import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { EXIT, EXIT_CODES_HELP, exitCodeForStatus } from './exit-codes.ts';
import { parseParamArgs } from './parse-param-args.ts';
import { progressMode, showProgress } from './show-progress.ts';
import { postSubmission } from './submission-api.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa submit JOB --file FILE [options]   (over the REST API at AA_URL, with AA_API_KEY if set)
       aa submit JOB --dataset ID | --url URL [options]

  --file FILE      the input data, streamed from disk
  --dataset ID     instead of --file: a dataset (aa datasets upload), held without a copy
  --url URL        instead of --file: a URL the backend worker fetches (docs/datasets.md)
  --name NAME      the submission's name (default: the file's name)
  --email ADDRESS  mail this address when the submission ends
  --param K=V      a parameter, named <task>_<alias> (GET /analytics_automated/endpoints/ lists
                   them); repeatable
  --wait           follow the submission until it ends: a live picture of stages and steps on a
                   terminal, one line per change otherwise
  --json           print the API's answer as JSON (with --wait: the finished submission), with
                   controlToken when the API returned one

Without --wait the submission's id is printed on stdout. Without an API key the API returns a
control token, shown only once: stderr tells how to cancel with it (aa cancel ID --token TOKEN).

${EXIT_CODES_HELP}`;

async function submit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: 'string', short: 'f' },
      dataset: { type: 'string' },
      url: { type: 'string' },
      name: { type: 'string', short: 'n' },
      email: { type: 'string' },
      param: { type: 'string', short: 'p', multiple: true, default: [] },
      wait: { type: 'boolean', short: 'w', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [job, ...extra] = positionals;
  if (!job) throw new UsageError('give the job name');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const inputs = [values.file, values.dataset, values.url].filter((v) => v !== undefined);
  if (inputs.length !== 1) throw new UsageError('give one of --file, --dataset and --url');
  const fields = parseParamArgs(values.param);
  if (values.file) {
    const file = await stat(values.file).catch(() => null);
    if (!file?.isFile()) throw new UsageError(`--file ${values.file} is not a readable file`);
  }
  const inputRef = values.dataset ? { dataset: values.dataset } : values.url ? { url: values.url } : undefined;

  const api = loadConfig().cli;
  const created = await postSubmission(api, {
    job,
    file: values.file,
    inputRef,
    name: values.name ?? (values.file ? path.basename(values.file) : (values.dataset ?? 'url input')),
    email: values.email,
    fields,
  });
  const token = created.controlToken;
  // The API shows an anonymous submission's token once; without it nobody but an admin can cancel.
  const cancelHint = token === undefined ? '' : `; cancel it with: aa cancel ${created.id} --token ${token}`;
  if (!values.wait) {
    if (values.json) console.log(JSON.stringify(created, null, 2));
    else {
      console.log(created.id);
      console.error(`submitted to job ${job}; follow it with: aa watch ${created.id}${cancelHint}`);
    }
    return EXIT.ok;
  }
  if (!values.json && token !== undefined) console.error(`submitted ${created.id}${cancelHint}`);
  const final = await showProgress(api, created.id, progressMode(values.json, process.stdout));
  if (values.json)
    console.log(JSON.stringify(token === undefined ? final : { ...final, controlToken: token }, null, 2));
  return exitCodeForStatus(final.status);
}

export const run: RunCommand = userCommand('submit', HELP, submit);
