import type { Step } from './job-schemas.ts';
import type { RuleViolation } from './rule-violation.ts';

/**
 * How deep jobs nest: a job may run other jobs, which may not run jobs or maps themselves. Each
 * level of nesting (and each map) gives its runs their own range of step indexes
 * (src/domain/map-items.ts), and one level is what that range holds.
 */
export const MAX_NESTING_DEPTH = 1;

/** What the stored jobs run: by job name, the jobs its steps run and whether any of them maps. */
export interface StoredNesting {
  runs: Map<string, string[]>;
  maps: Set<string>;
  exists: (job: string) => boolean;
}

/**
 * The nesting rules for job `name` with these steps: every job it runs exists, none of them runs
 * this job again (directly or through others: the cycle is named), and nesting stays one level deep.
 */
export function checkNesting(name: string, steps: Step[], stored: StoredNesting): RuleViolation[] {
  const out: RuleViolation[] = [];
  const runs = new Map(stored.runs);
  runs.set(
    name,
    steps.flatMap((s) => (s.job ? [s.job] : [])),
  );
  const nests = steps.some((s) => s.job) || steps.some((s) => s.map);
  steps.forEach((step, i) => {
    if (!step.job) return;
    const at = `steps.${i}.job`;
    if (step.job === name) return void out.push({ path: at, message: `job "${name}" cannot run itself` });
    if (!stored.exists(step.job)) return void out.push({ path: at, message: `no job named "${step.job}"` });
    const cycle = pathBack(step.job, name, runs);
    if (cycle) return void out.push({ path: at, message: `cycle: ${[name, ...cycle].join(' → ')}` });
    if (runs.get(step.job)?.length || stored.maps.has(step.job)) {
      out.push({
        path: at,
        message: `job "${step.job}" runs ${runs.get(step.job)?.length ? 'other jobs' : 'a map'} itself; jobs nest ${MAX_NESTING_DEPTH} level deep`,
      });
    }
  });
  const usedBy = [...stored.runs].filter(([, ran]) => ran.includes(name)).map(([by]) => by);
  if (nests && usedBy.length) {
    const i = steps.findIndex((s) => s.job || s.map);
    out.push({
      path: `steps.${i}`,
      message: `job "${name}" is run as a step by ${usedBy.join(', ')}, so it cannot run jobs or maps itself; jobs nest ${MAX_NESTING_DEPTH} level deep`,
    });
  }
  return out;
}

/** The jobs from `from` that lead back to `to`, ending with `to`, or undefined. */
function pathBack(from: string, to: string, runs: Map<string, string[]>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (job: string): string[] | undefined => {
    if (job === to) return [to];
    if (seen.has(job)) return undefined;
    seen.add(job);
    for (const next of runs.get(job) ?? []) {
      const rest = walk(next);
      if (rest) return [job, ...rest];
    }
    return undefined;
  };
  return walk(from);
}

/**
 * Jobs (with their index in the list) in an order where every job comes after the jobs it runs, so
 * an import can create them one by one: with one level of nesting, the jobs that run none first.
 */
export function innerJobsFirst<T extends { steps: { job?: string | undefined }[] }>(jobs: T[]): [number, T][] {
  const runsJobs = (job: T) => job.steps.some((s) => s.job);
  const indexed = jobs.map((job, i) => [i, job] as [number, T]);
  return [...indexed.filter(([, j]) => !runsJobs(j)), ...indexed.filter(([, j]) => runsJobs(j))];
}
