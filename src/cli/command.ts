/** One `aa` subcommand: what `aa help` lists, and what runs it. */
export interface Command {
  summary: string;
  /** Returns the process exit code. */
  run: (args: string[]) => Promise<number>;
}
