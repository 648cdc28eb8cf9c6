import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatasetView } from '../datasets/dataset-service.ts';
import { loadConfig, type Config } from '../config.ts';
import { cliApi, unwrap } from './api-client.ts';
import { UsageError } from './command-errors.ts';
import type { RunCommand } from './command.ts';
import { saveVerified } from '../../clients/typescript/save-verified.ts';
import { EXIT } from './exit-codes.ts';
import { userCommand } from './user-command.ts';

const HELP = `Usage: aa datasets COMMAND   (over the REST API at AA_URL, with AA_API_KEY, which datasets need)

  aa datasets upload FILE --name NAME [--description TEXT] [--retention-days N]
                                   upload FILE as a dataset; prints its id
  aa datasets list                 your datasets (all of them with an admin key), newest first
  aa datasets show ID              one dataset
  aa datasets download ID [--output FILE]
                                   save its bytes (default: its file name), checking size and sha256
  aa datasets delete ID            delete it; submissions that used it keep their input

  Every command takes --json. Use a dataset as a submission's input with
  {"inputRef": {"dataset": "ID"}} (docs/datasets.md).`;

const OPTIONS = {
  json: { type: 'boolean', default: false },
  name: { type: 'string' },
  description: { type: 'string' },
  'retention-days': { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const;

function printOne(dataset: DatasetView): void {
  const expiry = dataset.expiresAt ? `, expires ${dataset.expiresAt}` : '';
  console.log(`${dataset.id}  ${dataset.name}  ${dataset.fileName}  ${dataset.size} bytes${expiry}`);
  if (dataset.description) console.log(`  ${dataset.description}`);
}

async function upload(
  api: Config['cli'],
  file: string | undefined,
  values: Record<string, string | boolean | undefined>,
) {
  if (!file) throw new UsageError('give the file to upload');
  if (typeof values.name !== 'string') throw new UsageError('give --name');
  const form = new FormData();
  form.set('name', values.name);
  if (typeof values.description === 'string') form.set('description', values.description);
  if (typeof values['retention-days'] === 'string') form.set('retentionDays', values['retention-days']);
  form.set('data', await openAsBlob(file), path.basename(file));
  return (await unwrap(cliApi(api).POST('/api/v1/datasets', { body: form as never }))) as DatasetView;
}

async function datasets(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  const [command, arg, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const config = loadConfig().cli;
  const api = cliApi(config);
  const one = (id: string | undefined) => {
    if (!id) throw new UsageError('give a dataset id');
    return { params: { path: { id } } };
  };
  const show = (value: unknown, text: () => void) =>
    values.json ? console.log(JSON.stringify(value, null, 2)) : text();
  switch (command) {
    case 'upload': {
      const created = await upload(config, arg, values);
      show(created, () => console.log(created.id));
      return EXIT.ok;
    }
    case 'list': {
      const { items } = (await unwrap(api.GET('/api/v1/datasets'))) as { items: DatasetView[] };
      show(items, () => items.forEach(printOne));
      return EXIT.ok;
    }
    case 'show': {
      const dataset = (await unwrap(api.GET('/api/v1/datasets/{id}', one(arg)))) as DatasetView;
      show(dataset, () => printOne(dataset));
      return EXIT.ok;
    }
    case 'download': {
      const dataset = (await unwrap(api.GET('/api/v1/datasets/{id}', one(arg)))) as DatasetView;
      const target = values.output ?? path.basename(dataset.fileName);
      const body = await unwrap(api.GET('/api/v1/datasets/{id}/data', { ...one(arg), parseAs: 'stream' }));
      const check = await saveVerified(body as ReadableStream<Uint8Array>, target, dataset);
      if (!check.verified) throw new Error(`the download of ${dataset.id} did not match its size and sha256`);
      show({ ...dataset, savedTo: target }, () => console.log(target));
      return EXIT.ok;
    }
    case 'delete':
      await unwrap(api.DELETE('/api/v1/datasets/{id}', one(arg)));
      show({ id: arg, deleted: true }, () => console.log(`${arg} deleted`));
      return EXIT.ok;
    default:
      throw new UsageError(
        command ? `unknown command "${command}"` : 'give a command: upload, list, show, download or delete',
      );
  }
}

export const run: RunCommand = userCommand('datasets', HELP, datasets);
