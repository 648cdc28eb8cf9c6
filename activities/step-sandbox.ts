import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { limitExceededMessage, type LimitName, type ResourceLimits } from '../src/domain/resource-limits.ts';
import { findExecutable } from './find-executable.ts';
import { createStepCgroup, type CgroupCounters, type StepCgroup } from './cgroups.ts';
import type { Enforcement } from './limit-enforcement.ts';
import { runCommand, type CommandEnd, type CommandRun } from './run-command.ts';
import { outputBytesIn, trimToBudget } from './work-dir-usage.ts';

export type SandboxedEnd =
  Exclude<CommandEnd, { kind: 'limited' }> | { kind: 'limit-exceeded'; limit: LimitName; message: string };

/** What the step used, as far as this worker can count it (null where it cannot). */
export interface StepUsage {
  cpuSeconds: number | null;
}

export interface SandboxSpec {
  limits: ResourceLimits;
  enforcement: Enforcement;
  /** Unique among the worker's steps: names the step's cgroup. */
  name: string;
  workDir: string;
  /** Top-level files of the work dir the worker put there (inputs, the script): not output. */
  ours: ReadonlySet<string>;
  /** Files kept first when output over the limit is cut: stderr, stdout. */
  keepFirst: string[];
}

/**
 * The step's first process: a fixed sh text (argv only ever reaches it as "$@", never as code) that
 * sets the umask, turns core dumps off (SIGXCPU and SIGXFSZ dump core by default: no core files in the
 * work dir, and no time spent writing them), writes its own pid into each cgroup before the command can
 * allocate or fork, then execs the rest of argv. The core limit is the shell's own: through prlimit it
 * was one more exec for every step, limits or not.
 */
const WRAPPER =
  'umask 077; ulimit -c 0; while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

const POLL_MS = 100;
// Walking the work dir costs more than reading three counters; the per-file rlimit covers the gap.
const OUTPUT_POLL_EVERY = 3;

/** prlimit's arguments for the limits no cgroup of this worker enforces (and CPU time per process always); none, no prlimit. */
export function rlimitArgs(limits: ResourceLimits, enforcement: Enforcement): string[] {
  if (!enforcement.prlimit) return [];
  const cg = enforcement.cgroups;
  const memoryCgroup = cg !== null && (cg.version === 'v2' || cg.memory !== undefined);
  const args: string[] = [];
  const pair = (flag: string, soft: number, hard = soft) => args.push(`--${flag}=${soft}:${hard}`);
  // SIGXCPU at the limit, SIGKILL a second later should the process catch the first.
  if (limits.cpuSeconds !== null) pair('cpu', limits.cpuSeconds, limits.cpuSeconds + 1);
  if (limits.openFiles !== null) pair('nofile', limits.openFiles);
  if (limits.outputBytes !== null) pair('fsize', limits.outputBytes);
  if (limits.memoryBytes !== null && !memoryCgroup) pair('as', limits.memoryBytes);
  return args;
}

function wrap(argv: string[], procsFiles: string[], rlimits: string[]): string[] {
  const limited = rlimits.length > 0 ? ['prlimit', ...rlimits, '--', ...argv] : argv;
  return ['/bin/sh', '-c', WRAPPER, 'aa-step', ...procsFiles, '--', ...limited];
}

/** Which limit the counters show as hit, if any; pure, so the order of the checks is testable. */
export function limitHit(
  limits: ResourceLimits,
  counters: CgroupCounters | undefined,
  outputBytes: number | undefined,
  end?: CommandEnd,
): LimitName | undefined {
  const signal = end?.kind === 'signalled' ? end.signal : undefined;
  if (limits.memoryBytes !== null && (counters?.oomKills ?? 0) > 0) return 'memoryBytes';
  if (limits.processes !== null && (counters?.pidsRefused ?? 0) > 0) return 'processes';
  if (limits.cpuSeconds !== null && (signal === 'SIGXCPU' || (counters?.cpuSeconds ?? 0) >= limits.cpuSeconds))
    return 'cpuSeconds';
  if (limits.outputBytes !== null && (signal === 'SIGXFSZ' || (outputBytes ?? 0) >= limits.outputBytes))
    return 'outputBytes';
  return undefined;
}

const hasAnyLimit = (limits: ResourceLimits) => Object.values(limits).some((v) => v !== null);

/** Runs the command under the step's limits; a limit hit ends it at once and comes back named. */
export async function runSandboxed(
  { sandbox: spec, ...run }: CommandRun & { sandbox: SandboxSpec },
  usage?: StepUsage,
): Promise<SandboxedEnd> {
  const { limits, enforcement } = spec;
  const program = run.argv[0];
  if (!program) return { kind: 'spawn-failed', message: 'empty command' };
  if (!(await findExecutable(program, run.env.PATH, run.cwd))) {
    const message = "not found on the worker's PATH";
    // The step's stdout and stderr exist whatever happens: stored, and the reason is in stderr.
    await Promise.all([writeFile(run.stdoutPath, ''), writeFile(run.stderrPath, `${program}: ${message}\n`)]);
    return { kind: 'spawn-failed', message };
  }
  // Wherever it can, every step gets a cgroup, limits or not: a process that leaves the process group
  // (setsid, double fork) is still found and killed when the step ends.
  // Named after the worker's pid first: that is how sweepOrphanCgroups tells a dead worker's cgroups.
  const cgroup: StepCgroup | undefined = enforcement.cgroups
    ? await createStepCgroup(enforcement.cgroups!, `${process.pid}-${spec.name}-${randomUUID().slice(0, 8)}`, limits)
    : undefined;
  const stop = new AbortController();
  let hit: LimitName | undefined;
  let ticks = 0;
  let polling = false;
  const outputNow = () =>
    limits.outputBytes === null ? Promise.resolve(undefined) : outputBytesIn(spec.workDir, spec.ours);
  const poll = async () => {
    if (polling || hit) return;
    polling = true;
    try {
      const counters = await cgroup?.read();
      const output = ++ticks % OUTPUT_POLL_EVERY === 0 ? await outputNow() : undefined;
      hit = limitHit(limits, counters, output);
      if (hit) stop.abort();
    } finally {
      polling = false;
    }
  };
  const timer = hasAnyLimit(limits) ? setInterval(() => void poll().catch(() => {}), POLL_MS) : undefined;
  try {
    const end = await runCommand({
      ...run,
      argv: wrap(run.argv, cgroup?.procsFiles ?? [], rlimitArgs(limits, enforcement)),
      limitSignal: stop.signal,
      members: cgroup?.members,
    });
    clearInterval(timer);
    // The group is gone; a process that left it (setsid) is still in the cgroup.
    await cgroup?.killAll();
    if (end.kind === 'aborted' || end.kind === 'spawn-failed') return end;
    const counters = await cgroup?.read();
    if (usage && counters) usage.cpuSeconds = counters.cpuSeconds;
    hit ??= limitHit(limits, counters, await outputNow(), end);
    if (!hit) {
      if (end.kind === 'limited') throw new Error('stopped for a limit no counter shows');
      return end;
    }
    if (hit === 'outputBytes') await trimToBudget(spec.workDir, spec.ours, spec.keepFirst, limits.outputBytes!);
    return { kind: 'limit-exceeded', limit: hit, message: limitExceededMessage(hit, limits[hit]!) };
  } finally {
    clearInterval(timer);
    await cgroup?.killAll();
    await cgroup?.remove();
  }
}
