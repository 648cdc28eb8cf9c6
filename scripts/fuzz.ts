// `npm run fuzz [-- --quick] [-- --seed N]`: starts the real stack (scripts/fuzz-stack.ts), points
// schemathesis at /openapi.json with the admin key, and fails unless every response is a documented,
// schema-conforming non-5xx one. The full run is ≥ 10,000 cases with the stateful phase; --quick is CI's.
import { execFileSync, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/project-paths.ts';
import { FUZZ_DIR, FUZZ_JOB, startFuzzStack, type FuzzStack } from './fuzz-stack.ts';
import { isClean, summarizeFuzzReport, type FuzzSummary } from './fuzz-summary.ts';

const REPORT_DIR = path.join(FUZZ_DIR, 'report');
const say = (line: string) => console.log(`[fuzz] ${line}`);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, seed: { type: 'string' } },
  });
  const schemathesis = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-fuzz-tools.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const started = Date.now();
  let stack: FuzzStack | undefined;
  process.once('SIGINT', () => void stack?.stop().then(() => process.exit(130)));
  try {
    stack = await startFuzzStack(process.env);
    const args = [
      '--config-file',
      path.join(PROJECT_ROOT, 'scripts', 'schemathesis.toml'),
      'run',
      `${stack.url}/openapi.json`,
      '--url',
      stack.url,
      // Per operation and phase. The coverage phase (every schema boundary, ~1,600 cases whatever the
      // maximum) makes a quick run too slow for CI, so only the full run has it.
      '--max-examples',
      values.quick ? '10' : '500',
      '--phases',
      values.quick ? 'examples,fuzzing,stateful' : 'examples,coverage,fuzzing,stateful',
      // One worker: on Python 3.11 hypothesis's parallel AST parsing trips a CPython race
      // ("AST constructor recursion depth mismatch") in the coverage phase.
      '--workers',
      '1',
      '--request-timeout',
      '30',
      '--continue-on-failure',
      '--generation-database',
      'none',
      '--report',
      'ndjson',
      '--report-dir',
      REPORT_DIR,
      ...(values.seed ? ['--seed', values.seed] : []),
    ];
    say(`${values.quick ? 'quick' : 'full'} run; job "${FUZZ_JOB}" takes submissions`);
    const code = await run(schemathesis, args, { AA_FUZZ_ADMIN_TOKEN: stack.adminToken });
    const reports = (await readdir(REPORT_DIR)).filter((name) => name.endsWith('.ndjson'));
    if (reports.length !== 1) throw new Error(`expected one NDJSON report in ${REPORT_DIR}, found ${reports.length}`);
    const summary = await summarizeFuzzReport(path.join(REPORT_DIR, reports[0]!));
    print(summary, (Date.now() - started) / 1000);
    return code === 0 && isClean(summary) ? 0 : 1;
  } finally {
    await stack?.stop();
  }
}

function print(summary: FuzzSummary, seconds: number): void {
  const phases = Object.entries(summary.casesByPhase).map(([phase, n]) => `${phase} ${n}`);
  say(
    `${summary.cases} cases (${phases.join(', ')}) over ${summary.operations} operations in ${Math.round(seconds)} s`,
  );
  const failed = Object.entries(summary.failures);
  say(`${summary.serverErrors} server errors, ${failed.reduce((n, [, count]) => n + count, 0)} failed checks`);
  for (const [what, count] of failed) say(`  ${count} × ${what}`);
  for (const error of summary.errors) say(`  error: ${error}`);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<number> {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env, NO_COLOR: '1' } });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
