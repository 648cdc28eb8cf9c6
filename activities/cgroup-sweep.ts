import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { killAll, removeWhenEmpty, type CgroupSupport } from './cgroups.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Step cgroups are named `<worker pid>-…`. Those of a worker that is gone (killed mid-step) are
 * emptied, every process in them killed, and removed: what escaped its process group dies with them.
 */
export async function sweepOrphanCgroups(support: CgroupSupport): Promise<void> {
  const parents =
    support.version === 'v2'
      ? [support.root]
      : [support.memory, support.pids, support.cpuacct].filter((p) => p !== undefined);
  for (const parent of parents) {
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const owner = /^(\d+)-/.exec(entry.name)?.[1];
      if (!entry.isDirectory() || owner === undefined || isRunning(Number(owner))) continue;
      const dir = path.join(parent, entry.name);
      await killAll([path.join(dir, 'cgroup.procs')]);
      await removeWhenEmpty(dir);
    }
  }
}
