import { open } from 'node:fs/promises';
import { execa } from 'execa';
import { groupGone, groupMembers } from './process-group-watch.ts';

export interface CommandRun {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  stdoutPath: string;
  stderrPath: string;
  timeoutMs: number | null;
  /** Aborting kills the whole process group: SIGTERM, then SIGKILL after the grace period. */
  signal: AbortSignal;
  graceMs: number;
  onSpawn?: (pid: number) => void;
  /** Aborted when the step goes over a resource limit: the group is killed at once, no grace. */
  limitSignal?: AbortSignal;
  /**
   * The group's processes now, when the caller knows them cheaply (the step's cgroup); otherwise
   * one scan of /proc finds them, which costs tens of milliseconds on a busy host, per cancel.
   */
  members?: () => number[];
}

export type CommandEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'timed-out' }
  | { kind: 'aborted' }
  | { kind: 'limited' }
  | { kind: 'spawn-failed'; message: string };

/**
 * Runs argv (never through a shell) as the leader of its own process group, so a cancel or a
 * timeout reaches every child and grandchild, not only the direct child. execa's own `timeout`,
 * `cancelSignal` and `forceKillAfterDelay` signal that one pid, so the group's SIGTERM, SIGKILL
 * after the grace period, and timer are kept here.
 */
export async function runCommand(run: CommandRun): Promise<CommandEnd> {
  const [file, ...args] = run.argv;
  if (!file) return { kind: 'spawn-failed', message: 'empty command' };
  // Cancelled while its inputs were staged: never start it.
  if (run.signal.aborted) return { kind: 'aborted' };
  // The child writes its files itself, not through a pipe this process copies: cheaper, and its own
  // file-size rlimit then applies to stdout and stderr too.
  const [stdout, stderr] = await Promise.all([open(run.stdoutPath, 'w', 0o600), open(run.stderrPath, 'w', 0o600)]);
  const child = execa(file, args, {
    cwd: run.cwd,
    env: run.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    // execa's types name only descriptors 3-9; Node passes any open descriptor on as it is.
    stdout: stdout.fd as 3,
    stderr: stderr.fd as 3,
    reject: false,
  });
  // The child has its own copies of the descriptors once spawned.
  await Promise.all([stdout.close(), stderr.close()]);
  if (child.pid !== undefined) run.onSpawn?.(child.pid);

  let reason: 'timed-out' | 'aborted' | 'limited' | undefined;
  let members: number[] = [];
  let membersDead: () => void = () => {};
  const killed = new Promise<undefined>((resolve) => (membersDead = () => resolve(undefined)));
  const killGroup = (why: 'timed-out' | 'aborted' | 'limited') => {
    reason ??= why;
    if (child.pid !== undefined) members = run.members?.() ?? groupMembers(child.pid);
    signalGroup(child.pid, why === 'limited' ? 'SIGKILL' : 'SIGTERM');
    setTimeout(() => signalGroup(child.pid, 'SIGKILL'), run.graceMs).unref();
    // Dead processes end the step, whenever this process hears of its child's exit: on a busy
    // host that notice comes a second or more after /proc shows every member dead.
    if (child.pid !== undefined && members.length > 0)
      void groupGone(child.pid, members, run.graceMs + 2000).then((gone) => gone && membersDead());
  };
  const onAbort = () => killGroup('aborted');
  const onLimit = () => killGroup('limited');
  if (run.signal.aborted) onAbort();
  run.signal.addEventListener('abort', onAbort, { once: true });
  run.limitSignal?.addEventListener('abort', onLimit, { once: true });
  const timer = run.timeoutMs === null ? undefined : setTimeout(() => killGroup('timed-out'), run.timeoutMs);

  const result = await Promise.race([child, killed]);
  run.signal.removeEventListener('abort', onAbort);
  run.limitSignal?.removeEventListener('abort', onLimit);
  clearTimeout(timer);
  // The leader may be gone while its children linger; the group must not outlive the step.
  if (reason) await waitForGroupGone(child.pid, members, run.graceMs);
  else signalGroup(child.pid, 'SIGKILL');

  if (reason) return { kind: reason };
  if (!result) throw new Error('a command that was not stopped ended unseen');
  if (result.failed && result.exitCode === undefined && !result.signal) {
    return { kind: 'spawn-failed', message: result.shortMessage ?? 'could not start' };
  }
  if (result.signal) return { kind: 'signalled', signal: result.signal as string };
  return { kind: 'exited', exitCode: result.exitCode ?? 0 };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupGone(pid: number | undefined, members: number[], graceMs: number): Promise<void> {
  if (pid === undefined) return;
  await groupGone(pid, members, graceMs + 2000);
  // Also reaches a process that joined the group after the snapshot.
  signalGroup(pid, 'SIGKILL');
}
