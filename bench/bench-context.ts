import type { BenchTarget } from './bench-client.ts';
import type { Figure } from './bench-stats.ts';

export interface BenchContext {
  target: BenchTarget;
  backend: string;
  temporalAddress: string | undefined;
  pids: { api?: number; orchestrator?: number; backend?: number };
  /** The local processes of the stack by role, for CPU accounting: aa processes, Temporal, this database's PostgreSQL backends. */
  processes: () => Promise<Record<string, number[]>>;
  quick: boolean;
  /** Starts one more backend worker (local stack only) serving `backend` with `concurrency` steps at once. */
  startBackend?: (backend: string, concurrency: number) => Promise<{ pid: number; stop: () => Promise<void> }>;
  /** Figures other scenarios reported earlier in this run (the bare-Temporal ratio needs ours). */
  figures: Map<string, Figure>;
}

export type Scenario = (ctx: BenchContext) => Promise<Figure[]>;

/** Full or quick: the same scenario with a smaller sample. */
export function sized<T>(ctx: BenchContext, full: T, quick: T): T {
  return ctx.quick ? quick : full;
}
