import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceLimits } from '../src/domain/resource-limits.ts';

/**
 * Where this worker may create step cgroups: one parent directory per controller (v1 mounts each
 * controller apart; v2 has one tree). Step cgroups are made under the worker's own cgroup, so
 * whatever bounds the worker also bounds its steps.
 */
export type CgroupSupport =
  { version: 'v1'; memory?: string; pids?: string; cpuacct?: string } | { version: 'v2'; root: string };

/** What a step's cgroup has counted: the limit checks read these, during the run and after it. */
export interface CgroupCounters {
  oomKills: number;
  pidsRefused: number;
  cpuSeconds: number;
}

export interface StepCgroup {
  /** Each `cgroup.procs` the step's first process writes its pid to before it execs the command. */
  procsFiles: string[];
  read: () => Promise<CgroupCounters>;
  /** SIGKILLs every process in the cgroup, including any that left the process group, until none is left. */
  killAll: () => Promise<void>;
  /** The pids the cgroup holds now, read at once: a cheap, exact member list (no scan of /proc). */
  members: () => number[];
  remove: () => Promise<void>;
}

export const PARENT = 'aa-steps';

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

function mounts(): Mount[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left, right = ''] = line.split(' - ');
      const fields = left!.split(' ');
      const [fsType = '', , superOptions = ''] = right.split(' ');
      return { root: fields[3]!, mountPoint: fields[4]!, fsType, options: superOptions.split(',') };
    });
}

/** The worker's own cgroup per hierarchy: "memory" → "/a/b", "" → the v2 path. */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n').filter(Boolean)) {
    const [, controllers = '', ...rest] = line.split(':');
    for (const controller of controllers.split(',')) own.set(controller, rest.join(':'));
  }
  return own;
}

function dirFor(mount: Mount, ownPath: string): string {
  const relative = ownPath.startsWith(mount.root) ? ownPath.slice(mount.root.length) : ownPath;
  return path.join(mount.mountPoint, relative, PARENT);
}

/** Makes the parent directory and checks a child can be made and removed there. */
async function usable(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = path.join(dir, `probe-${process.pid}`);
    await mkdir(probe);
    await rmdir(probe);
    return true;
  } catch {
    return false;
  }
}

async function detectV2(all: Mount[], own: Map<string, string>): Promise<CgroupSupport | null> {
  const mount = all.find((m) => m.fsType === 'cgroup2');
  const ownPath = own.get('');
  if (!mount || ownPath === undefined) return null;
  const base = path.join(mount.mountPoint, ownPath.startsWith(mount.root) ? ownPath.slice(mount.root.length) : ownPath);
  const available = (await readFile(path.join(base, 'cgroup.controllers'), 'utf8').catch(() => '')).split(/\s+/);
  if (!['memory', 'pids'].every((c) => available.includes(c))) return null;
  const root = path.join(base, PARENT);
  // Only controllers the parent has can be handed down; asking for another fails the whole write.
  const wanted = ['memory', 'pids', 'cpu'].filter((c) => available.includes(c));
  const enable = (dir: string) =>
    writeFile(path.join(dir, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
  try {
    // v2 lets a cgroup with processes in it hand no controllers down: the worker moves to a leaf of its own first.
    await enable(base).catch(async () => {
      await mkdir(path.join(base, 'aa-worker'), { recursive: true });
      await writeFile(path.join(base, 'aa-worker', 'cgroup.procs'), String(process.pid));
      await enable(base);
    });
    await mkdir(root, { recursive: true });
    await enable(root);
  } catch {
    return null;
  }
  return (await usable(root)) ? { version: 'v2', root } : null;
}

async function detectV1(all: Mount[], own: Map<string, string>): Promise<CgroupSupport | null> {
  const support: CgroupSupport = { version: 'v1' };
  for (const controller of ['memory', 'pids', 'cpuacct'] as const) {
    const mount = all.find((m) => m.fsType === 'cgroup' && m.options.includes(controller));
    const ownPath = own.get(controller);
    if (!mount || ownPath === undefined) continue;
    const dir = dirFor(mount, ownPath);
    if (await usable(dir)) support[controller] = dir;
  }
  return support.memory || support.pids ? support : null;
}

/** The cgroups this worker may create, v2 first, or null where it may create none (or off Linux). */
export async function detectCgroups(): Promise<CgroupSupport | null> {
  if (!existsSync('/proc/self/mountinfo') || !existsSync('/proc/self/cgroup')) return null;
  const all = mounts();
  const own = ownCgroups();
  return (await detectV2(all, own)) ?? (await detectV1(all, own));
}

const readText = (file: string) => readFile(file, 'utf8').catch(() => '');

/** "name value" lines (memory.events, pids.events, cpu.stat, oom_control) → the value of name. */
function field(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

export async function createStepCgroup(
  support: CgroupSupport,
  name: string,
  limits: ResourceLimits,
): Promise<StepCgroup> {
  const dirs = support.version === 'v2' ? [path.join(support.root, name)] : [];
  if (support.version === 'v1') {
    for (const parent of [support.memory, support.pids, support.cpuacct])
      if (parent) dirs.push(path.join(parent, name));
  }
  const created: string[] = [];
  const remove = async () => {
    for (const dir of created) await removeWhenEmpty(dir);
  };
  try {
    for (const dir of dirs) {
      await mkdir(dir);
      created.push(dir);
    }
    await writeLimits(support, name, limits);
  } catch (err) {
    await remove();
    throw err;
  }
  const at = (parent: string | undefined, file: string) => (parent ? path.join(parent, name, file) : undefined);
  const files =
    support.version === 'v2'
      ? {
          memory: at(support.root, 'memory.events'),
          pids: at(support.root, 'pids.events'),
          cpu: at(support.root, 'cpu.stat'),
        }
      : {
          memory: at(support.memory, 'memory.oom_control'),
          pids: at(support.pids, 'pids.events'),
          cpu: at(support.cpuacct, 'cpuacct.usage'),
        };
  const procsFiles = created.map((dir) => path.join(dir, 'cgroup.procs'));
  return {
    procsFiles,
    read: async () => {
      const [memory, pids, cpu] = await Promise.all(
        [files.memory, files.pids, files.cpu].map((f) => (f ? readText(f) : '')),
      );
      const cpuSeconds = support.version === 'v2' ? field(cpu!, 'usage_usec') / 1e6 : Number(cpu!.trim() || 0) / 1e9;
      return { oomKills: field(memory!, 'oom_kill'), pidsRefused: field(pids!, 'max'), cpuSeconds };
    },
    killAll: async () => {
      // v2 kills the whole cgroup in one write, forks racing the kill included.
      if (support.version === 'v2') await writeFile(path.join(created[0]!, 'cgroup.kill'), '1').catch(() => {});
      await killAll(procsFiles);
    },
    members: () => pidsIn(procsFiles),
    remove,
  };
}

function pidsIn(procsFiles: string[]): number[] {
  const pids = new Set<number>();
  for (const file of procsFiles) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Gone with the cgroup.
    }
    for (const pid of text.split('\n').filter(Boolean)) pids.add(Number(pid));
  }
  return [...pids];
}

async function writeLimits(support: CgroupSupport, name: string, limits: ResourceLimits): Promise<void> {
  const set = (parent: string | undefined, file: string, value: number | null) =>
    parent && value !== null ? writeFile(path.join(parent, name, file), String(value)) : undefined;
  if (support.version === 'v2') {
    await set(support.root, 'memory.max', limits.memoryBytes);
    // No swapping past the limit: the step is killed at it, as on v1 hosts without swap.
    if (limits.memoryBytes !== null) await set(support.root, 'memory.swap.max', 0)?.catch(() => {});
    await set(support.root, 'pids.max', limits.processes);
    return;
  }
  await set(support.memory, 'memory.limit_in_bytes', limits.memoryBytes);
  // Only where swap is accounted; elsewhere the kernel refuses the file and the plain limit stands.
  await set(support.memory, 'memory.memsw.limit_in_bytes', limits.memoryBytes)?.catch(() => {});
  await set(support.pids, 'pids.max', limits.processes);
}

const KILL_DEADLINE_MS = 5000;

/**
 * SIGKILLs whatever is listed in the `cgroup.procs` files until they list nothing (or 5 s pass).
 * The files are read synchronously: each is a few bytes the kernel answers at once, while an
 * asynchronous read takes four trips through the thread pool, hundreds of milliseconds for a
 * burst of cancels on a busy host, and the step's `cancelled` waits on this.
 */
export async function killAll(procsFiles: string[]): Promise<void> {
  const deadline = Date.now() + KILL_DEADLINE_MS;
  for (;;) {
    const pids = pidsIn(procsFiles);
    if (pids.length === 0 || Date.now() > deadline) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(5);
  }
}

export async function removeWhenEmpty(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      // Synchronous for the same reason as killAll's reads: an empty cgroup goes in one quick call.
      rmdirSync(dir);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      await sleep(10);
    }
  }
}
