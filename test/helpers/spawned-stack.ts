import { spawn, type ChildProcess } from 'node:child_process';
import { API_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { CLI_ENTRY } from '../../src/project-paths.ts';
import { waitUntil } from './process-tree.ts';
import { testConfig } from './test-stack.ts';

export interface SpawnedProcess {
  child: ChildProcess;
  exited: Promise<void>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** The environment a real `aa` process gets in tests: the test database, Temporal and queue. */
export function stackEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const config = testConfig();
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: config.database.url,
    TEMPORAL_ADDRESS: config.temporal.address,
    ORCHESTRATOR_TASK_QUEUE: config.temporal.orchestratorQueue,
    WORKFLOW_BUNDLE_PATH: process.env.AA_TEST_WORKFLOW_BUNDLE ?? '',
    FILE_STORE_DIR: config.fileStoreDir,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs `aa <args>` as a real child process. */
export function spawnAa(args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): SpawnedProcess {
  const child = spawn(process.execPath, [...nodeFlags, CLI_ENTRY, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Starts `aa api` on a free port and waits until it answers. */
export async function spawnApi(
  env: NodeJS.ProcessEnv,
  port?: number,
): Promise<SpawnedProcess & { url: string; port: number }> {
  const chosen = port ?? (await freePort());
  const api = spawnAa(['api'], { ...env, PORT: String(chosen) }, API_NODE_FLAGS);
  const url = `http://127.0.0.1:${chosen}`;
  const up = await waitUntil(async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 20_000, 100);
  if (!up) {
    // Not left running behind the failed test.
    await api.stop();
    throw new Error('aa api did not start');
  }
  return { ...api, url, port: chosen };
}

/** Reads the peak and current resident memory of a process from /proc, in bytes. */
export async function memoryOf(pid: number): Promise<{ peak: number; current: number }> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), current: kb('VmRSS') };
}
