// Pure rules for running a step as a Slurm batch job: what is asked of sbatch, and what Slurm's answer means.

/** What a task asks of the cluster; null fields take the backend's defaults or Slurm's. */
export interface SlurmRequests {
  cpus: number | null;
  memoryMiB: number | null;
  gpus: number | null;
  partition: string | null;
  account: string | null;
  qos: string | null;
  /** Further `--name=value` options; each name must be in the backend's `allowedOptions`. */
  sbatchOptions: string[];
}

/** A slurm backend's own settings: defaults for every task, and which extra sbatch options tasks may use. */
export interface SlurmBackendSettings {
  partition: string | null;
  account: string | null;
  qos: string | null;
  allowedOptions: string[];
}

export const NO_SLURM_REQUESTS: SlurmRequests = {
  cpus: null,
  memoryMiB: null,
  gpus: null,
  partition: null,
  account: null,
  qos: null,
  sbatchOptions: [],
};

/** The option's name (`--constraint` of `--constraint=avx2`). */
export function sbatchOptionName(option: string): string {
  return option.split('=', 1)[0]!;
}

/** The options a task asks for that its backend does not allow; empty when all are allowed. */
export function disallowedOptions(requests: Pick<SlurmRequests, 'sbatchOptions'>, allowed: string[]): string[] {
  return requests.sbatchOptions.filter((option) => !allowed.includes(sbatchOptionName(option)));
}

/** Slurm counts wall time in whole minutes: a limit is never shorter than the task's timeout. */
export function wallTimeMinutes(timeoutSeconds: number): number {
  return Math.max(1, Math.ceil(timeoutSeconds / 60));
}

/**
 * The `#SBATCH` lines of a step's batch script. Every value was checked against a token pattern
 * when the task and backend were stored, so none can break out of its line.
 */
export function sbatchDirectives(
  jobName: string,
  timeoutSeconds: number | null,
  requests: SlurmRequests,
  backend: SlurmBackendSettings,
): string[] {
  const lines = [`--job-name=${jobName}`];
  const partition = requests.partition ?? backend.partition;
  const account = requests.account ?? backend.account;
  const qos = requests.qos ?? backend.qos;
  if (partition) lines.push(`--partition=${partition}`);
  if (account) lines.push(`--account=${account}`);
  if (qos) lines.push(`--qos=${qos}`);
  if (requests.cpus !== null) lines.push(`--cpus-per-task=${requests.cpus}`);
  if (requests.memoryMiB !== null) lines.push(`--mem=${requests.memoryMiB}M`);
  if (requests.gpus !== null) lines.push(`--gpus=${requests.gpus}`);
  if (timeoutSeconds !== null) lines.push(`--time=${wallTimeMinutes(timeoutSeconds)}`);
  lines.push(...requests.sbatchOptions);
  return lines.map((line) => `#SBATCH ${line}`);
}

/**
 * The batch script. The step's frozen argv reaches it as the script's own arguments (sbatch passes
 * them on as given), and `exec "$@"` runs them as they are: no shell ever re-reads a parameter.
 */
export function batchScript(directives: string[]): string {
  return [
    '#!/bin/sh',
    ...directives,
    '# The step argv arrives as this script arguments and is run as given, never re-read by a shell.',
    'exec "$@"',
    '',
  ].join('\n');
}

/** A Slurm job as `scontrol show job -o` reports it. */
export interface SlurmJobState {
  state: string;
  reason: string;
  exitCode: number;
  /** The signal that ended the batch script, 0 when it exited. */
  signal: number;
  node: string | null;
}

export function parseScontrolJob(line: string): SlurmJobState | undefined {
  const field = (name: string) => line.match(new RegExp(`(?:^|\\s)${name}=(\\S*)`))?.[1];
  const state = field('JobState');
  if (!state) return undefined;
  const [code, signal] = (field('ExitCode') ?? '0:0').split(':').map(Number);
  const node = field('BatchHost') ?? field('NodeList');
  return {
    state,
    reason: field('Reason') ?? 'None',
    exitCode: code ?? 0,
    signal: signal ?? 0,
    node: node && node !== '(null)' ? node : null,
  };
}

// Every state in which the job, or a process of it, may still exist (COMPLETING: processes still ending).
const ACTIVE_STATES = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
]);

export function isActiveState(state: string): boolean {
  return ACTIVE_STATES.has(state);
}

/** The step message while the job waits or runs, as the submission view shows it. */
export function describeActiveJob(jobId: string, job: SlurmJobState): string {
  if (job.state === 'PENDING') return `Slurm job ${jobId} PENDING (${job.reason})`;
  if (job.state === 'RUNNING' && job.node) return `Slurm job ${jobId} RUNNING on ${job.node}`;
  return `Slurm job ${jobId} ${job.state}`;
}

export type SlurmJobEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'limit-exceeded'; limit: 'memoryBytes' | 'wallClock'; message: string }
  | { kind: 'infrastructure'; message: string }
  | { kind: 'cancelled' };

/**
 * What a finished job means for the step. Slurm's own limits become messages that name them; a lost
 * node or a preemption is the cluster's failure, worth another attempt, not the task's.
 * `memoryKilled`: the job's error file holds slurmstepd's "Exceeded job memory limit" (clusters that
 * enforce memory by accounting, not cgroups, report such jobs FAILED rather than OUT_OF_MEMORY).
 */
export function interpretJobEnd(
  jobId: string,
  job: SlurmJobState,
  limits: { timeoutSeconds: number | null; memoryMiB: number | null },
  memoryKilled: boolean,
): SlurmJobEnd {
  const memory = limits.memoryMiB === null ? '' : ` of ${limits.memoryMiB} MiB`;
  const time = limits.timeoutSeconds === null ? '' : ` of ${wallTimeMinutes(limits.timeoutSeconds)} min`;
  switch (job.state) {
    case 'COMPLETED':
      return { kind: 'exited', exitCode: job.exitCode };
    case 'TIMEOUT':
      return { kind: 'limit-exceeded', limit: 'wallClock', message: `Slurm time limit${time} exceeded (job ${jobId})` };
    case 'OUT_OF_MEMORY':
      return {
        kind: 'limit-exceeded',
        limit: 'memoryBytes',
        message: `Slurm memory limit${memory} exceeded (job ${jobId})`,
      };
    case 'CANCELLED':
      return { kind: 'cancelled' };
    case 'NODE_FAIL':
    case 'PREEMPTED':
    case 'BOOT_FAIL':
      return { kind: 'infrastructure', message: `Slurm job ${jobId} ended ${job.state}` };
  }
  if (memoryKilled) {
    return {
      kind: 'limit-exceeded',
      limit: 'memoryBytes',
      message: `Slurm memory limit${memory} exceeded (job ${jobId})`,
    };
  }
  if (job.signal > 0) return { kind: 'signalled', signal: `signal ${job.signal} (Slurm job ${jobId} ${job.state})` };
  return { kind: 'exited', exitCode: job.exitCode };
}
