import { execFileSync, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { INSTALL_TEMPORAL_SCRIPT } from '../project-paths.ts';
import { searchAttributeFlags } from '../temporal/search-attributes.ts';
import { isPortOpen } from './free-port.ts';

export interface TemporalDevServerOptions {
  port: number;
  /** Null runs headless (tests); a number serves the Web UI there. */
  uiPort: number | null;
  /** A SQLite file keeps workflows across restarts; null keeps them in memory. */
  dbFile: string | null;
  namespace?: string;
  /** Its own process group, so a terminal's Ctrl-C reaches only the caller, which stops it last (`aa dev`). */
  ownProcessGroup?: boolean;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string | null;
  pid: number;
  stop: () => Promise<void>;
}

/** The `temporal` binary on PATH, else the one scripts/install-temporal.sh puts under .tools/. */
export function findTemporalBinary(): string {
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
    if (onPath) return onPath;
  } catch {
    // not on PATH: install our own copy
  }
  return execFileSync('bash', [INSTALL_TEMPORAL_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export function devServerArgs(options: TemporalDevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace ?? 'default',
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=OFF',
    '--log-level',
    'error',
    // Priority keys and fairness keys take effect only with the new matcher.
    '--dynamic-config-value',
    'matching.useNewMatcher=true',
    '--dynamic-config-value',
    'matching.enableFairness=true',
    ...searchAttributeFlags(),
  ];
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const binary = findTemporalBinary();
  if (options.dbFile) await mkdir(path.dirname(path.resolve(options.dbFile)), { recursive: true });
  const child = spawn(binary, devServerArgs(options), {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await isPortOpen(options.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal dev server did not start: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const address = `127.0.0.1:${options.port}`;
  await waitForHealthy(binary, address, options.namespace ?? 'default');
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://localhost:${options.uiPort}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForHealthy(binary: string, address: string, namespace: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(binary, ['operator', 'namespace', 'describe', '--address', address, '--namespace', namespace], {
        stdio: 'ignore',
      });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
