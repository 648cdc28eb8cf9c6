import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { startDev, type DevInstance } from '../helpers/dev-instance.ts';
import { isAlive } from '../helpers/process-tree.ts';

const run = promisify(execFile);

/** The fenced block after the README's `<!-- first-run … -->` marker. */
async function firstRunBlock(): Promise<string> {
  const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /<!-- first-run[^>]*-->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no first-run block');
  return block;
}

/** A folder that looks like a fresh clone (every top-level entry linked) with no .data or results. */
async function freshClone(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'aa-first-run-'));
  // PostgreSQL runs as user postgres when we are root, and must reach .data inside.
  await chmod(dir, 0o755);
  for (const entry of await readdir(PROJECT_ROOT)) {
    if (['.data', 'results', '.git'].includes(entry)) continue;
    await symlink(path.join(PROJECT_ROOT, entry), path.join(dir, entry));
  }
  return dir;
}

describe("the README's first run", () => {
  it('works by copy and paste against a fresh aa dev: admin key, config import, submit --wait, results', async () => {
    const block = await firstRunBlock();
    const clone = await freshClone();
    let dev: DevInstance | undefined;
    try {
      dev = await startDev({ cwd: clone });
      // A second terminal: nothing exported, only what a login shell has.
      const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', block], {
        cwd: clone,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        timeout: 180_000,
      }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`the first-run block failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      });

      const files = await readdir(path.join(clone, 'results'));
      const counts = files.filter((name) => name.endsWith('.count'));
      expect(counts).toHaveLength(1);
      const counted = await readFile(path.join(clone, 'results', counts[0]!), 'utf8');
      expect(counted.trim().split(/\s+/)[0]).toBe('3'); // wc -l of three lines
      expect(stdout).toContain(counted.trim());
      expect(stdout).toMatch(/sha256 ok/);

      const tree = dev.tree();
      expect(await dev.interrupt()).toBe(130);
      expect(tree.filter(isAlive)).toEqual([]);
    } finally {
      dev?.kill();
      await rm(clone, { recursive: true, force: true });
    }
  }, 360_000);
});
