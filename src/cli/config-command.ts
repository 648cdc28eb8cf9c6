import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AaImportReport } from '../aa-import/aa-import-service.ts';
import type { ImportReport } from '../catalog/config-schemas.ts';
import { loadConfig } from '../config.ts';
import { ApiCallError, cliApi, describeApiError, unwrap } from './api-client.ts';
import type { RunCommand } from './command.ts';

const HELP = `Usage: aa config <export|import|import-aa> (over the REST API at AA_URL with AA_API_KEY, an admin key)

  aa config export > config.yaml
  aa config import config.yaml [--dry-run] [--mode merge|replace]
                   one transaction; replace deletes what the file does not name
  aa config import-aa dump.yaml [--dry-run]
                   an Analytics Automated (django-smuggler) dump; lists rows it skipped`;

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printReport(report: ImportReport): void {
  console.log(report.dryRun ? `dry run (${report.mode}): nothing was changed` : `imported (${report.mode})`);
  for (const kind of ['backends', 'tasks', 'jobs'] as const) {
    const parts = (['created', 'updated', 'deleted'] as const)
      .filter((what) => report[kind][what].length > 0)
      .map((what) => `${what} ${report[kind][what].join(', ')}`);
    parts.push(`${report[kind].unchanged.length} unchanged`);
    console.log(`  ${kind}: ${parts.join('; ')}`);
  }
}

function printAaNotes(report: AaImportReport): void {
  for (const w of report.warnings) console.log(`  warning ${w.model} ${w.pk ?? ''}: ${w.message}`);
  const groups = Map.groupBy(report.skipped, (s) => `${s.model}\t${s.reason}`);
  for (const [key, skipped] of groups) {
    const [model, reason] = key.split('\t');
    const pks = skipped.map((s) => s.pk ?? '(no pk)');
    const rows = pks.length > 5 ? `${pks.length} rows` : pks.join(', ');
    console.log(`  skipped ${model} ${rows}: ${reason}`);
  }
}

async function runAction(action: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, mode: { type: 'string', default: 'merge' } },
  });
  const api = cliApi(loadConfig().cli);
  if (action === 'export') {
    const yaml = await unwrap(api.GET('/api/v1/config', { headers: { Accept: 'application/yaml' }, parseAs: 'text' }));
    process.stdout.write(yaml as string);
    return 0;
  }
  const file = positionals[0];
  if (!file || (values.mode !== 'merge' && values.mode !== 'replace')) {
    console.error(HELP);
    return 2;
  }
  const query = { dryRun: values['dry-run'] ? 'true' : 'false', mode: values.mode } as const;
  // The document goes as it was written, YAML or JSON: the API parses it and names what is wrong.
  const init = {
    params: { query },
    body: await readInput(file),
    bodySerializer: (text: string) => text,
    headers: { 'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/yaml' },
  };
  const report = (await unwrap(
    action === 'import'
      ? api.PUT('/api/v1/config', init as never)
      : api.POST('/api/v1/config/import-aa', init as never),
  )) as AaImportReport;
  printReport(report);
  if (action === 'import-aa') printAaNotes(report);
  return 0;
}

export const run: RunCommand = async (args) => {
  const [action, ...rest] = args;
  if (!action || !['export', 'import', 'import-aa'].includes(action)) {
    console.log(HELP);
    return action === '--help' ? 0 : 2;
  }
  try {
    return await runAction(action, rest);
  } catch (err) {
    if (!(err instanceof ApiCallError)) throw err;
    console.error(`aa config ${action}: ${describeApiError(err)}`);
    return 1;
  }
};
