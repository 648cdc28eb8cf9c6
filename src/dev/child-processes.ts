import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_ENTRY } from '../project-paths.ts';

export interface Supervised {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts `aa <args>` on the same Node as this process, with its output passed through. The child has
 * its own process group: a terminal's Ctrl-C signals the whole foreground group, and the workers must
 * hear it from `aa dev`, which stops them before the Temporal server and database they shut down through.
 */
export function spawnAa(name: string, args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): Supervised {
  const child = spawn(process.execPath, [...nodeFlags, CLI_ENTRY, ...args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, exited };
}

/** SIGTERM, then SIGKILL for any child that has not exited within the grace period. */
export async function stopAll(children: Supervised[], graceMs = 15_000): Promise<void> {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map(async ({ child, exited }) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
