/**
 * A step's whole environment: nothing of the worker's beyond an allow-list, so its secrets (database
 * URL, Temporal credentials, API tokens, the mail password, whatever an operator adds) never reach a
 * child process. The task's own variables come last and win, except HOME and TMPDIR: those are the work
 * dir, so the step's files stay in it.
 */
export function stepEnvironment(
  workerEnv: NodeJS.ProcessEnv,
  workDir: string,
  own: Record<string, string>,
): Record<string, string> {
  return {
    PATH: workerEnv.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: workerEnv.LANG ?? 'C.UTF-8',
    ...own,
    HOME: workDir,
    TMPDIR: workDir,
  };
}
