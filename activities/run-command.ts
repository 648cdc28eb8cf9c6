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
}

export type CommandEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'timed-out' }
  | { kind: 'aborted' }
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
  const child = execa(file, args, {
    cwd: run.cwd,
    env: run.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: { file: run.stdoutPath },
    stderr: { file: run.stderrPath },
    reject: false,
  });
  if (child.pid !== undefined) run.onSpawn?.(child.pid);

  let reason: 'timed-out' | 'aborted' | undefined;
  let members: number[] = [];
  const killGroup = (why: 'timed-out' | 'aborted') => {
    reason ??= why;
    if (child.pid !== undefined) members = groupMembers(child.pid);
    signalGroup(child.pid, 'SIGTERM');
    setTimeout(() => signalGroup(child.pid, 'SIGKILL'), run.graceMs).unref();
  };
  const onAbort = () => killGroup('aborted');
  if (run.signal.aborted) onAbort();
  run.signal.addEventListener('abort', onAbort, { once: true });
  const timer = run.timeoutMs === null ? undefined : setTimeout(() => killGroup('timed-out'), run.timeoutMs);

  const result = await child;
  run.signal.removeEventListener('abort', onAbort);
  clearTimeout(timer);
  // The leader may be gone while its children linger; the group must not outlive the step.
  if (reason) await waitForGroupGone(child.pid, members, run.graceMs);
  else signalGroup(child.pid, 'SIGKILL');

  if (reason) return { kind: reason };
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
