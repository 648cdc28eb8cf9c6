// Pure types shared by the API, the workflow and the activities: no imports with side effects.
import type { LimitName, ResourceLimits } from './resource-limits.ts';
import type { SlurmRequests } from './slurm-job.ts';

export type ExitPolicy = 'continue' | 'terminate' | 'fail';

export interface StepRetryPolicy {
  maximumAttempts: number;
  initialIntervalSeconds: number;
  backoffCoefficient: number;
  maximumIntervalSeconds?: number;
  /** Non-zero exit codes worth another attempt; any other failing code fails the step at once. */
  retryableExitCodes: number[];
  /** Limits whose hit is worth another attempt; absent or empty: a limit hit is final. */
  retryableLimits?: LimitName[];
}

/** A script task's script, by hash: the worker reads the text from the database and writes it into the work dir. */
export interface PlannedScript {
  interpreter: string;
  sha256: string;
  /** The script's file name in the work dir; argv is [interpreter, fileName]. */
  fileName: string;
  /** Written as JSON to the file AA_PARAMS names: data, never code. */
  parameters: Record<string, string | number | boolean | null>;
}

/** One step frozen at submission time, so later config edits never change a run. */
export interface PlannedStep {
  index: number;
  stage: number;
  taskName: string;
  backend: string;
  taskQueue: string;
  /** argv[0] is the program; no shell ever sees these. */
  argv: string[];
  environment: Record<string, string>;
  inputEndings: string[];
  outputEndings: string[];
  stdoutName: string;
  customExitCodes: number[];
  customExitBehaviour: ExitPolicy;
  incompleteOutputs: ExitPolicy;
  retry: StepRetryPolicy;
  timeoutSeconds: number | null;
  rootPath: string | null;
  /** Absent in plans made before limits existed: no limits. */
  limits?: ResourceLimits;
  script?: PlannedScript;
  /** What the task asks of a Slurm cluster (slurm backends only); absent in plans made before it existed. */
  slurm?: SlurmRequests | null;
}

export interface ExecutionPlan {
  submissionId: string;
  jobName: string;
  stages: PlannedStep[][];
  /** How long a silent task activity may go before Temporal retries it elsewhere. */
  heartbeatTimeoutSeconds: number;
  /** How long a step may wait for a backend worker before the run is marked crashed. */
  scheduleToStartTimeoutSeconds: number;
}

export type StepOutcome = 'continue' | 'terminate';

export interface StepResult {
  outcome: StepOutcome;
  exitCode: number;
  message: string;
}

export type FinalStatus = 'complete' | 'error' | 'crash' | 'cancelled';

export interface SubmissionWorkflowInput {
  submissionId: string;
  plan: ExecutionPlan;
  /** False when no e-mail can be due (none given): the run then skips the mail activity. Absent: ask it. */
  mail?: boolean;
}

export interface SubmissionWorkflowResult {
  status: FinalStatus;
  message: string;
}

/** ApplicationFailure types the task activity throws; all of them mean the task failed (status error). */
export const STEP_FAILED = 'StepFailed';
export const STEP_CONFIG_INVALID = 'StepConfigInvalid';
export const COMMAND_FAILED = 'CommandFailed';
export const COMMAND_TIMED_OUT = 'CommandTimedOut';
export const COMMAND_KILLED = 'CommandKilled';
export const COMMAND_LIMIT_EXCEEDED = 'CommandLimitExceeded';
export const TASK_FAILURE_TYPES: readonly string[] = [
  STEP_FAILED,
  STEP_CONFIG_INVALID,
  COMMAND_FAILED,
  COMMAND_TIMED_OUT,
  COMMAND_KILLED,
  COMMAND_LIMIT_EXCEEDED,
];
