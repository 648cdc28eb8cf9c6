// Runs the Python client's pytest suite (clients/python/tests) against the real API and workers:
// the shared scenario, a 100 MB upload and a verified download.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startClientScenarioStack, type ClientScenarioStack } from '../helpers/client-scenario-stack.ts';

const run = promisify(execFile);
let stack: ClientScenarioStack;
let python: string;

beforeAll(async () => {
  python = execFileSync('bash', ['scripts/install-client-tools.sh'], { encoding: 'utf8' }).trim();
  stack = await startClientScenarioStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the Python client against the running server', () => {
  it('passes its pytest suite: list, submit, follow, download verified, cancel, typed errors, 100 MB', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AA_URL: stack.url,
      AA_TWO_STEP_JOB: stack.jobs.twoStep,
      AA_NOTE_PARAM: stack.jobs.noteParam,
      AA_SLOW_JOB: stack.jobs.slow,
      AA_COPY_JOB: stack.jobs.copy,
    };
    const result = await run(
      python,
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--durations=3', 'clients/python/tests'],
      {
        env,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { stdout?: string; stderr?: string; code?: number }) => err);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    // The slowest tests (the 100 MB round trip among them), as figures, not assertions.
    const slowest = output.split('\n').filter((line) => /^\d+\.\d+s call /.test(line));
    process.stderr.write(slowest.map((line) => `[figures] pytest ${line}\n`).join(''));
    expect([('code' in result ? result.code : 0) ?? 0, output]).toEqual([0, expect.stringMatching(/\b6 passed\b/)]);
  }, 600_000);
});
