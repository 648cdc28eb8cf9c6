import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sweepOrphanCgroups } from '../../activities/cgroup-sweep.ts';
import { detectCgroups } from '../../activities/cgroups.ts';
import { isAlive, waitUntil } from '../helpers/process-tree.ts';

describe('sweeping the step cgroups of a dead worker', () => {
  it('kills what is left in them, removes them, and leaves a live worker’s alone', async () => {
    const support = await detectCgroups();
    if (support?.version !== 'v1' || !support.pids) throw new Error('these machines have cgroup v1 with pids');
    // A pid that was a worker once and is gone now.
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    const orphan = path.join(support.pids, `${gone.pid}-lost-step`);
    const live = path.join(support.pids, `${process.pid}-running-step`);
    await mkdir(orphan);
    await mkdir(live);
    const left = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    await writeFile(path.join(orphan, 'cgroup.procs'), String(left.pid));
    try {
      await sweepOrphanCgroups(support);
      expect(await waitUntil(() => !isAlive(left.pid!), 5000, 20)).toBe(true);
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      left.kill('SIGKILL');
      execFileSync('rmdir', [live]);
    }
  });
});
