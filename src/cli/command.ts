/** Runs one `aa` subcommand with the arguments after its name; returns the process exit code. */
export type RunCommand = (args: string[]) => Promise<number>;

/** One `aa` subcommand: what `aa help` lists, and what runs it. */
export interface Command {
  summary: string;
  run: RunCommand;
}
