import type { BenchContext } from '../bench-context.ts';
import { memoryOf } from '../bench-processes.ts';
import type { Figure } from '../bench-stats.ts';

const MB = 1024 * 1024;

/** Resident memory of each process of the stack at rest, once warm (run right after the latency scenario). */
export async function idleMemoryScenario(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const role of ['api', 'orchestrator', 'backend'] as const) {
    const pid = ctx.pids[role];
    if (!pid) {
      console.log(`rss-idle-${role}: skipped (not a local process)`);
      continue;
    }
    const { current, peak } = await memoryOf(pid);
    figures.push({
      name: `rss-idle-${role}`,
      value: current / MB,
      unit: 'MB',
      detail: `VmRSS at rest after warm-up; peak so far ${Math.round(peak / MB)} MB`,
      data: { current, peak },
    });
  }
  return figures;
}
