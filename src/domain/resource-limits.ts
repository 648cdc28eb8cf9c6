// Pure rules for per-step resource limits: which limits exist, how a task's own values and its
// backend's defaults combine, and how a limit is named in a step's message.

/** The limits a step runs under; null means no limit. Wall-clock time is the task's `timeoutSeconds`. */
export interface ResourceLimits {
  /** CPU time of the whole process tree, in seconds. */
  cpuSeconds: number | null;
  /** Resident memory of the whole process tree, in bytes. */
  memoryBytes: number | null;
  /** Processes (and threads) alive at once in the tree. */
  processes: number | null;
  /** Open file descriptors per process. */
  openFiles: number | null;
  /** Bytes the step may write into its work directory: output files plus stdout and stderr. */
  outputBytes: number | null;
}

export type LimitName = keyof ResourceLimits;

export const LIMIT_NAMES: readonly LimitName[] = ['cpuSeconds', 'memoryBytes', 'processes', 'openFiles', 'outputBytes'];

export const NO_LIMITS: ResourceLimits = {
  cpuSeconds: null,
  memoryBytes: null,
  processes: null,
  openFiles: null,
  outputBytes: null,
};

/** A task's own limit wins; where it sets none, its backend's default applies. */
export function effectiveLimits(
  task: Partial<ResourceLimits> | null | undefined,
  backend: Partial<ResourceLimits> | null | undefined,
): ResourceLimits {
  return Object.fromEntries(
    LIMIT_NAMES.map((name) => [name, task?.[name] ?? backend?.[name] ?? null]),
  ) as unknown as ResourceLimits;
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 268435456 → "256 MiB"; a size that is not a whole number of a unit keeps the smaller unit. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (unit < UNITS.length - 1 && value >= 1024 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  return `${value} ${UNITS[unit]}`;
}

const LABELS: Record<LimitName, (value: number) => string> = {
  cpuSeconds: (v) => `CPU limit ${v} s`,
  memoryBytes: (v) => `memory limit ${formatBytes(v)}`,
  processes: (v) => `process limit ${v}`,
  openFiles: (v) => `open-files limit ${v}`,
  outputBytes: (v) => `output limit ${formatBytes(v)}`,
};

/** The step's message when a limit ends it: "memory limit 256 MiB exceeded". */
export function limitExceededMessage(name: LimitName, value: number): string {
  return `${LABELS[name](value)} exceeded`;
}
