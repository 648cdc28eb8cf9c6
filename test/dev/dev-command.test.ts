import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/dev/free-port.ts';
import { CLI_ENTRY } from '../../src/project-paths.ts';
import { descendants, isAlive, waitUntil } from '../helpers/process-tree.ts';

async function answers(url: string, status: number): Promise<boolean> {
  try {
    return (await fetch(url)).status === status;
  } catch {
    return false;
  }
}

describe('aa dev', () => {
  it('brings up PostgreSQL, Temporal with its UI, the API and workers, and Ctrl-C leaves no process behind', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'aa-dev-'));
    // PostgreSQL runs as user postgres when we are root, and must reach its folder inside.
    await chmod(dataDir, 0o755);
    const [apiPort, temporalPort, uiPort, postgresPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(apiPort),
      DEV_TEMPORAL_PORT: String(temporalPort),
      DEV_TEMPORAL_UI_PORT: String(uiPort),
      DEV_POSTGRES_PORT: String(postgresPort),
      LOG_LEVEL: 'warn',
    };
    const dev = spawn(process.execPath, [CLI_ENTRY, 'dev'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
    try {
      expect(await waitUntil(() => answers(`http://127.0.0.1:${apiPort}/readyz`, 200), 90_000, 500)).toBe(true);
      expect(await answers(`http://127.0.0.1:${uiPort}/`, 200)).toBe(true);
      const tree = descendants(dev.pid!);
      // postgres, temporal, the API and two workers at least
      expect(tree.length).toBeGreaterThanOrEqual(5);

      dev.kill('SIGINT');
      // 130 is the shell's code for "ended by SIGINT": what Ctrl-C should report.
      expect(await exited).toBe(130);
      expect(await waitUntil(() => tree.every((pid) => !isAlive(pid)), 10_000)).toBe(true);
    } finally {
      if (dev.exitCode === null) dev.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
