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
  /** What the task asks of a Slurm cluster (slurm backends only); absent in plans made before it existed. */
  slurm?: SlurmRequests | null;
  /** Absent in plans made before limits existed: no limits. */
  limits?: ResourceLimits;
  script?: PlannedScript;
  /** The task's version when planned: part of the step cache key (src/domain/step-cache-key.ts). */
  taskVersion?: string | null;
  /** Reuse a finished result with the same cache key instead of running (task `cache: true`, or asked by the submission). */
  cache?: boolean;
  /** json parameters, written into the work dir before the command runs; `$Pn` names the file. */
  parameterFiles?: { name: string; json: string }[];
  /** Graph plans only (ExecutionPlan.graph); plans of runs begun before graphs have none of these. */
  name?: string;
  /** Indexes of the steps it waits for; a step starts once all of them have settled. */
  parents?: number[];
  /** Every step upstream of it: without `inputs` it reads their results, as a stage read all earlier ones. */
  ancestors?: number[];
  when?: PlannedCondition[];
  onFailure?: FailurePolicy;
  inputs?: PlannedBinding[];
  /** A map step: it runs once per item (src/domain/map-items.ts). */
  map?: PlannedMap;
  /** A step that runs another job as a child workflow: that job's steps, under indexes of their own (itemRunIndex). */
  nested?: { jobName: string; steps: PlannedStep[] };
  /** One item's run of a map step; its index is then the item's own (itemRunIndex). */
  item?: { of: number; number: number; map: PlannedMap };
}

/** What a map step runs over: the lines of a file, the files a parent made, or a list parameter's values. */
export interface PlannedMap {
  over: 'lines' | 'files' | 'values';
  source: { upload: true } | { step: number; glob: string } | { values: string[] };
  maxParallel: number;
}

export type FailurePolicy = 'stop' | 'continue';

/** The ends of a parent a `when` condition can ask for. */
export type StepStatusSeen = 'complete' | 'error' | 'skipped' | 'cancelled';

/** A `when` condition, resolved at submission time: parameter values are filled in, step names are indexes. */
export type PlannedCondition =
  | { parameter: string; equals: string; value: string | null }
  | { step: number; status: StepStatusSeen[] }
  | { step: number; exitCode: number[] }
  | { step: number; file: string; minBytes?: number }
  | { step: number; field: string; equals?: string | number | boolean; above?: number };

/** Files staged for a step: the first source that yields any file wins; `as` renames a single file. */
export interface PlannedBinding {
  from: ({ step: number; glob: string } | { upload: true })[];
  as?: string;
}

export interface ExecutionPlan {
  submissionId: string;
  jobName: string;
  stages: PlannedStep[][];
  /** Set on plans made since jobs are graphs: steps then carry parents and run as soon as those settle. */
  graph?: 1;
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
  /** Graph plans: what the step produced, for later steps' conditions. */
  produced?: ProducedSummary;
}

export interface ProducedSummary {
  files: { name: string; size: number }[];
  /** The fields of the outputs.json the task wrote, if any. */
  values?: Record<string, unknown>;
}

export type FinalStatus = 'complete' | 'error' | 'crash' | 'cancelled';

/** The runVersion new runs start with (SubmissionWorkflowInput). */
export const RUN_VERSION = 2;

export interface SubmissionWorkflowInput {
  submissionId: string;
  plan: ExecutionPlan;
  /** False when no e-mail can be due (none given): the run then skips the mail activity. Absent: ask it. */
  mail?: boolean;
  /**
   * Which run this is, for choices workflow code must make the same way on replay; absent in runs started
   * before it existed (version 1). Version 2 (RUN_VERSION): started with AaStatus `running`, so the run upserts
   * it only at its end, and a graph plan runs without asking the graph-plans patch. Both cost history events.
   */
  runVersion?: number;
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
