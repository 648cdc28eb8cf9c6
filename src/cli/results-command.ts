import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SubmissionView } from '../api/submission-schemas.ts';
import { loadConfig } from '../config.ts';
import { cliApi } from './api-client.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { downloadFile } from '../../clients/typescript/download.ts';
import { EXIT, isFinished } from './exit-codes.ts';
import { getSubmission } from './submission-api.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa results ID -o DIR [--json]   (over the REST API at AA_URL, with AA_API_KEY if set)

  Downloads every result file of a submission (the steps' outputs, stdout and stderr; not the
  input) into DIR, checking each file's size and sha256 against what the API recorded. A file
  that does not match is not kept. --json prints what was saved.
  Exits 0 when every file was saved and verified, 1 when one did not match or could not be
  downloaded, 2 on a bad command line.`;

/** File names from the API stay inside DIR; two steps' files of the same name are told apart by step. */
export function localNames(files: SubmissionView['files']): string[] {
  const used = new Set<string>();
  return files.map((file) => {
    const base = path.basename(file.name).replace(/^\.+$/, '_') || 'file';
    const step = `step${(file.step ?? 0) + 1}`;
    const name = [base, `${step}-${base}`, `${step}-${file.id}-${base}`].find((n) => !used.has(n))!;
    used.add(name);
    return name;
  });
}

async function results(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('give one submission id');
  if (!values.output) throw new UsageError('-o DIR is required');
  const api = loadConfig().cli;
  const view = await getSubmission(api, positionals[0]!);
  if (!isFinished(view.status))
    console.error(`aa results: submission ${view.id} is ${view.status}; these are its files so far`);
  const files = view.files.filter((f) => f.kind !== 'input');
  await mkdir(values.output, { recursive: true });
  const saved = [];
  for (const [i, name] of localNames(files).entries()) {
    const file = files[i]!;
    const target = path.join(values.output, name);
    const check = await downloadFile(cliApi(api), view.id, file, target);
    saved.push({ id: file.id, name: file.name, kind: file.kind, path: target, ...check, expectedSha256: file.sha256 });
    if (values.json) continue;
    if (check.verified) console.log(`${target}  ${check.size} B  sha256 ok`);
    else
      console.error(
        `aa results: ${target}: sha256 ${check.sha256} (${check.size} B) does not match ${file.sha256}; not kept`,
      );
  }
  if (values.json) console.log(JSON.stringify({ id: view.id, status: view.status, files: saved }, null, 2));
  else if (files.length === 0) console.log(`submission ${view.id} (${view.status}) has no result files`);
  return saved.every((s) => s.verified) ? EXIT.ok : EXIT.failed;
}

export const run: RunCommand = userCommand('results', HELP, results);
