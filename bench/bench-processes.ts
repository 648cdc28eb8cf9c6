import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { CLI_ENTRY } from '../src/project-paths.ts';

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop: (graceMs?: number) => Promise<void>;
}

/** Starts `node <flags> <script> <args>` with its output in a log file, so a failing run can be read afterwards. */
export function spawnLogged(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  nodeFlags: string[] = [],
): BenchProcess {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    stop: async (graceMs = 15_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

export function spawnAaLogged(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  nodeFlags: string[] = [],
): BenchProcess {
  return spawnLogged(name, CLI_ENTRY, args, env, logFile, nodeFlags);
}

/** Resident memory of a process from /proc: VmHWM (peak since start or the last reset) and VmRSS, in bytes. */
export async function memoryOf(pid: number): Promise<{ peak: number; current: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0) * 1024;
  return { peak: kb('VmHWM'), current: kb('VmRSS') };
}

/** Writing 5 to clear_refs resets VmHWM to the current RSS, so the next peak is the next operation's own. */
export async function resetPeakMemory(pid: number): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

interface ProcEntry {
  pid: number;
  ppid: number;
  state: string;
  comm: string;
}

async function readProc(pid: number): Promise<ProcEntry | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields after it start at the last ')'.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(ppid), state: state ?? '?', comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return null;
  }
}

export async function processTable(): Promise<ProcEntry[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  return (await Promise.all(pids.map(readProc))).filter((p): p is ProcEntry => p !== null);
}

/** Live (not zombie) descendants of root whose command name is comm. */
export async function descendantsNamed(root: number, comm: string): Promise<number[]> {
  const table = await processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of table) {
      if (p.ppid !== parent) continue;
      queue.push(p.pid);
      if (p.comm === comm && p.state !== 'Z') found.push(p.pid);
    }
  }
  return found;
}

/** True while the pid exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  const entry = await readProc(pid);
  return entry !== null && entry.state !== 'Z' && entry.state !== 'X';
}

/** isAlive, read synchronously: for loops that check many pids at once without queueing on the thread pool. */
export function isAliveNow(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The local `aa` processes of a running stack (for --url), found by their command lines. */
export async function findAaProcesses(
  backend: string,
): Promise<{ api?: number; orchestrator?: number; backend?: number }> {
  const found: { api?: number; orchestrator?: number; backend?: number } = {};
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const argv = await readFile(`/proc/${name}/cmdline`, 'utf8').then(
      (s) => s.split('\0'),
      () => [],
    );
    const entry = argv.findIndex((a) => a.endsWith('src/cli/main.ts'));
    if (entry < 0) continue;
    const rest = argv.slice(entry + 1);
    if (rest[0] === 'api') found.api = Number(name);
    if (rest[0] === 'worker' && rest.includes('--orchestrator')) found.orchestrator = Number(name);
    if (rest[0] === 'worker' && rest.some((a, i) => a === '--backend' && rest[i + 1] === backend))
      found.backend = Number(name);
  }
  return found;
}

/** CPU time a process used so far, its reaped children included (a backend worker's commands), in ms. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of stat, 11-14 after comm and state.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / 100;
}

/** Every pid of the tree under root (root included), zombies too: their CPU is not yet in the parent's. */
function treeOf(root: number, table: ProcEntry[]): number[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const p of table) if (p.ppid === found[i]) found.push(p.pid);
  return found;
}

/**
 * CPU ms each group of processes spends while `run` runs, the descendants of each pid included
 * (a backend worker's spawn helper and the commands it runs). A child that ends meanwhile is counted
 * through its parent's reaped-children time; a pid that ends unreaped counts as 0.
 */
export async function cpuDuring<T>(
  groups: Record<string, number[]>,
  run: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const sample = async () => {
    const table = await processTable();
    const out: Record<string, Map<number, number>> = {};
    for (const [name, roots] of Object.entries(groups)) {
      const pids = new Set(roots.flatMap((root) => treeOf(root, table)));
      out[name] = new Map();
      for (const pid of pids) out[name].set(pid, await cpuMsOf(pid).catch(() => NaN));
    }
    return out;
  };
  const before = await sample();
  const self = process.cpuUsage();
  const result = await run();
  const after = await sample();
  const used = process.cpuUsage(self);
  const cpuMs: Record<string, number> = {};
  for (const name of Object.keys(groups)) {
    // A pid seen only after started meanwhile (from 0); one seen only before was reaped into its parent.
    let sum = 0;
    for (const [pid, ms] of after[name]!) if (Number.isFinite(ms)) sum += ms - (before[name]!.get(pid) || 0);
    for (const [pid, ms] of before[name]!) if (!Number.isFinite(after[name]!.get(pid) ?? NaN)) sum -= ms || 0;
    cpuMs[name] = sum;
  }
  cpuMs.client = (used.user + used.system) / 1000;
  return { result, cpuMs };
}

/** CPU ms per completed job by role, and their total. */
export function cpuPerJob(cpuMs: Record<string, number>, jobs: number): Record<string, number> {
  const perJob = Object.fromEntries(Object.entries(cpuMs).map(([role, ms]) => [role, ms / Math.max(1, jobs)]));
  return { ...perJob, total: Object.values(perJob).reduce((sum, ms) => sum + ms, 0) };
}
