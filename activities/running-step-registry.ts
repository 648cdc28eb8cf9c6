import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Steps run detached in their own process group, so a worker killed with SIGKILL leaves its
 * commands running. Each worker therefore notes every group it starts in a small file under
 * DATA_DIR/running-steps, and any worker on the same host kills the groups whose worker is gone
 * (at start-up and then periodically; see workers/orphan-reaper.ts).
 */
export interface RunningGroup {
  pgid: number;
  /** Start time of the group's leader (clock ticks since boot), so a reused pid is never killed. */
  leaderStart: string | null;
  workerPid: number;
  workerStart: string | null;
  submissionId: string;
  stepIndex: number;
  startedAt: string;
}

export function registryDir(dataDir: string): string {
  return path.resolve(dataDir, 'running-steps');
}

/** The start time field of /proc/PID/stat, or null off Linux or when the process is gone or a zombie. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null;
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export async function recordRunningGroup(
  dir: string,
  entry: Omit<RunningGroup, 'leaderStart' | 'workerPid' | 'workerStart' | 'startedAt'>,
) {
  const full: RunningGroup = {
    ...entry,
    leaderStart: processStartTime(entry.pgid),
    workerPid: process.pid,
    workerStart: processStartTime(process.pid),
    startedAt: new Date().toISOString(),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${entry.pgid}.json`), JSON.stringify(full));
}

export async function forgetRunningGroup(dir: string, pgid: number): Promise<void> {
  await rm(path.join(dir, `${pgid}.json`), { force: true });
}

function workerIsAlive(entry: RunningGroup): boolean {
  const start = processStartTime(entry.workerPid);
  if (start !== null) return entry.workerStart === null || start === entry.workerStart;
  // On Linux a missing /proc entry means gone (or a zombie); elsewhere a live pid is taken at its word.
  if (existsSync('/proc/self/stat')) return false;
  try {
    process.kill(entry.workerPid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills (SIGKILL) every recorded group whose worker is dead; returns the groups it killed. */
export async function reapOrphanedGroups(dir: string): Promise<RunningGroup[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const reaped: RunningGroup[] = [];
  for (const name of names) {
    let entry: RunningGroup;
    try {
      entry = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as RunningGroup;
    } catch {
      continue;
    }
    if (workerIsAlive(entry)) continue;
    const leaderStart = processStartTime(entry.pgid);
    // A live leader with another start time is a new process that reused the pid: not ours.
    if (leaderStart === null || entry.leaderStart === null || leaderStart === entry.leaderStart) {
      try {
        process.kill(-entry.pgid, 'SIGKILL');
        reaped.push(entry);
      } catch {
        // the group is already gone
      }
    }
    await rm(path.join(dir, name), { force: true });
  }
  return reaped;
}
