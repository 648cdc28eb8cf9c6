import { lstat, readdir, truncate } from 'node:fs/promises';
import path from 'node:path';

/** Bytes in the work directory's files, walked without following links, skipping the top-level names we put there. */
export async function outputBytesIn(workDir: string, ours: ReadonlySet<string>): Promise<number> {
  let total = 0;
  const walk = async (dir: string, top: boolean): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (top && ours.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, false);
      else total += (await lstat(full).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(workDir, true);
  return total;
}

/**
 * Cuts the top-level files of the work directory so that together they hold at most `budget`
 * bytes: `first` (stderr, stdout) keep their bytes before the others, which go in name order.
 */
export async function trimToBudget(
  workDir: string,
  ours: ReadonlySet<string>,
  first: string[],
  budget: number,
): Promise<void> {
  const names = (await readdir(workDir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !ours.has(e.name))
    .map((e) => e.name)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  function rank(name: string) {
    const at = first.indexOf(name);
    return at === -1 ? first.length : at;
  }
  let left = budget;
  for (const name of names) {
    const full = path.join(workDir, name);
    const { size } = await lstat(full);
    if (size > left) await truncate(full, left);
    left -= Math.min(size, left);
  }
}
