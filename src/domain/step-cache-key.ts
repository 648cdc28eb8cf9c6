import type { PlannedStep } from './execution-plan.ts';

// What does not change a step's result: where and how persistently it runs, and its place in the job.
// Every other field of the planned step (task version, argv, environment, json parameter files, and
// any field added later, such as a script's sha256) is part of the key, so a new field can only make
// the cache miss more often, never reuse a result it should not.
const NOT_IN_KEY = new Set([
  'index',
  'stage',
  'backend',
  'taskQueue',
  'retry',
  'timeoutSeconds',
  'rootPath',
  'cache',
  // What a step asks of a Slurm cluster (cpus, memory, partition) changes where it runs, not what it makes.
  'slurm',
]);

export interface KeyedInput {
  /** As the step sees it, with the submission id written as $ID. */
  name: string;
  sha256: string;
  /** The cache key of the step that made it, if a step did: what depends on a changed step changes too. */
  producerKey: string | null;
}

/** Everything the step's result depends on, as canonical JSON; its sha256 is the cache key. */
export function stepCacheMaterial(step: PlannedStep, submissionId: string, inputs: KeyedInput[]): string {
  const own = Object.fromEntries(Object.entries(step).filter(([field]) => !NOT_IN_KEY.has(field)));
  const sorted = [...inputs].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.sha256 < b.sha256 ? -1 : 1,
  );
  return canonicalJson({ v: 1, step: withoutId(own, submissionId), inputs: sorted });
}

/** The submission id, wherever it occurs in a string, as $ID: two submissions of one job share keys. */
export function withoutId(value: unknown, submissionId: string): unknown {
  if (typeof value === 'string') return value.replaceAll(submissionId, '$ID');
  if (Array.isArray(value)) return value.map((v) => withoutId(v, submissionId));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutId(v, submissionId)]));
  return value;
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
