import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_ENTRY, PROJECT_ROOT } from '../../src/project-paths.ts';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aa …` as a real process with the test environment plus `env`. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_ENTRY, ...args], {
      env: { ...process.env, ...env },
      cwd: PROJECT_ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
