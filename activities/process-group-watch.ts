import { existsSync, readdirSync, readFileSync } from 'node:fs';

const POLL_MS = 10;
// Cancels come in bursts (a batch, many at once): one /proc scan serves every kill within this window.
const SCAN_REUSE_MS = 20;
let lastScan: { at: number; byGroup: Map<number, number[]> } | undefined;

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** State and process group of a pid from /proc/PID/stat, or null once it is gone. */
function statOf(pid: number): { state: string; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '?', pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}

const isLive = (pid: number) => {
  const stat = statOf(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
};

/** The live members of a process group, from one scan of /proc (empty off Linux). */
export function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  if (!lastScan || Date.now() - lastScan.at > SCAN_REUSE_MS) {
    const byGroup = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = statOf(Number(entry));
      if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
      byGroup.set(stat.pgrp, [...(byGroup.get(stat.pgrp) ?? []), Number(entry)]);
    }
    lastScan = { at: Date.now(), byGroup };
  }
  return lastScan.byGroup.get(pgid) ?? [];
}

/**
 * Resolves once the process group is gone, or every one of `members` (its processes when it was
 * signalled) is dead, or after timeoutMs. An orphaned child that died stays a zombie in the group
 * until PID 1 reaps it, and some PID 1s (container init shims) reap only every second or two: the
 * group is dead well before kill(-pgid, 0) fails. Returns false when it timed out with one alive.
 */
export async function groupGone(pgid: number, members: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // Only the members still alive are read again: a burst of cancels polls many groups at once.
  let alive = members;
  for (;;) {
    if (!groupExists(pgid)) return true;
    if (members.length > 0 && (alive = alive.filter(isLive)).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
