import { spawn } from 'node:child_process';
import { freePort } from '../../src/dev/free-port.ts';
import { CLI_ENTRY } from '../../src/project-paths.ts';
import { descendants, isAlive, waitUntil } from './process-tree.ts';

export interface DevInstance {
  apiPort: number;
  uiPort: number;
  pid: number;
  /** Every live process `aa dev` started, read now. */
  tree: () => number[];
  /** Ctrl-C as a terminal sends it, to the whole process group; resolves with the exit code. */
  interrupt: () => Promise<number | null>;
  kill: () => void;
}

async function answers(url: string, status: number): Promise<boolean> {
  try {
    return (await fetch(url)).status === status;
  } catch {
    return false;
  }
}

/**
 * `aa dev` with nothing configured but free ports (no DATABASE_URL, no TEMPORAL_ADDRESS), in its own
 * process group as a shell runs a foreground command; resolves once the API is ready.
 */
export async function startDev(options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<DevInstance> {
  const [apiPort, temporalPort, uiPort, postgresPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(apiPort),
    DEV_TEMPORAL_PORT: String(temporalPort),
    DEV_TEMPORAL_UI_PORT: String(uiPort),
    DEV_POSTGRES_PORT: String(postgresPort),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const dev = spawn(process.execPath, [CLI_ENTRY, 'dev'], { cwd: options.cwd, env, stdio: 'ignore', detached: true });
  const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
  const instance: DevInstance = {
    apiPort,
    uiPort,
    pid: dev.pid!,
    tree: () => descendants(dev.pid!),
    interrupt: async () => {
      process.kill(-dev.pid!, 'SIGINT');
      return exited;
    },
    kill: () => {
      if (dev.exitCode !== null) return;
      for (const pid of [dev.pid!, ...descendants(dev.pid!)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
  if (!(await waitUntil(() => answers(`http://127.0.0.1:${apiPort}/readyz`, 200), 90_000, 500))) {
    instance.kill();
    throw new Error('aa dev did not get ready within 90 s');
  }
  return instance;
}

export { answers };
