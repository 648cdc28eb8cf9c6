import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { answers, startDev, type DevInstance } from '../helpers/dev-instance.ts';
import { isAlive } from '../helpers/process-tree.ts';

describe('aa dev', () => {
  it('brings up PostgreSQL, Temporal with its UI, the API and workers, and Ctrl-C returns only once every process is gone', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'aa-dev-'));
    // PostgreSQL runs as user postgres when we are root, and must reach its folder inside.
    await chmod(dataDir, 0o755);
    let dev: DevInstance | undefined;
    try {
      dev = await startDev({ cwd: PROJECT_ROOT, env: { DATA_DIR: dataDir } });
      expect(await answers(`http://127.0.0.1:${dev.uiPort}/`, 200)).toBe(true);
      const tree = dev.tree();
      // postgres, temporal, the API and two workers at least
      expect(tree.length).toBeGreaterThanOrEqual(5);

      // 130 is the shell's code for "ended by SIGINT": what Ctrl-C should report.
      expect(await dev.interrupt()).toBe(130);
      expect(tree.filter(isAlive)).toEqual([]);
    } finally {
      dev?.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
