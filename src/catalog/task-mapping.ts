import type { TaskConfiguration } from '../db/task-configurations.table.ts';
import type { TaskEnvironment } from '../db/task-environment.table.ts';
import type { TaskParameter } from '../db/task-parameters.table.ts';
import type { Task as TaskRow } from '../db/tasks.table.ts';
import { columnToLimits } from './limit-schemas.ts';
import { compareNames } from './names.ts';
import { scriptSha256 } from './task-rules.ts';
import type { TaskChildRows } from './task-repository.ts';
import type { RetryPolicy, Task, TaskEntry } from './task-schemas.ts';

// Written into every task that does not say otherwise, and into exports, so defaults are explicit.
const DEFAULT_RETRY: RetryPolicy = {
  maximumAttempts: 3,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  maximumIntervalSeconds: null,
  retryableExitCodes: [],
  retryableLimits: [],
};

function sortedRecord(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.sort(([a], [b]) => compareNames(a, b)));
}

interface TaskRows {
  task: TaskRow & { backend_name: string; script_text: string | null };
  parameters: TaskParameter[];
  environment: TaskEnvironment[];
  configurations: TaskConfiguration[];
}

export function rowsToTask({ task, parameters, environment, configurations }: TaskRows): Task {
  const retry = { ...DEFAULT_RETRY, ...task.retry };
  return {
    name: task.name,
    backend: task.backend_name,
    description: task.description,
    kind: task.kind,
    executable: task.executable,
    interpreter: task.interpreter,
    script: task.script_text,
    scriptSha256: task.script_sha256,
    inputs: task.inputs,
    outputs: task.outputs,
    stdout: task.stdout_ending,
    environment: sortedRecord(environment.map((e) => [e.name, e.value])),
    parameters: parameters.map((p) => ({
      alias: p.alias,
      flag: p.flag,
      type: p.type,
      default: p.default_value,
      required: p.required,
      spacing: p.spacing,
      switchless: p.switchless,
      choices: p.choices,
      allowLeadingDash: p.allow_leading_dash,
      help: p.help,
      ...(p.json_schema ? { schema: p.json_schema } : {}),
    })),
    customExitCodes: task.custom_exit_codes,
    customExitBehaviour: task.custom_exit_behaviour,
    incompleteOutputs: task.incomplete_outputs,
    retry: { ...retry, maximumIntervalSeconds: retry.maximumIntervalSeconds ?? null },
    timeoutSeconds: task.timeout_seconds,
    limits: columnToLimits(task.limits),
    version: task.version,
    ...(task.cache ? { cache: true } : {}),
    configuration: configurations.map((c) => ({
      type: c.type,
      name: c.name,
      version: c.version,
      parameters: c.parameters,
    })),
    slurm: task.slurm,
  };
}

/** The stored form of an entry, as GET will return it: environment sorted, defaults filled in. */
export function normalizeTask(entry: TaskEntry): Task {
  const { name, backend, description, kind, executable, interpreter, script, inputs, outputs, stdout, parameters } =
    entry;
  return {
    name,
    backend,
    description,
    kind,
    executable,
    interpreter,
    script,
    scriptSha256: script === null ? null : scriptSha256(script),
    inputs,
    outputs,
    stdout,
    environment: sortedRecord(Object.entries(entry.environment)),
    parameters,
    customExitCodes: entry.customExitCodes,
    customExitBehaviour: entry.customExitBehaviour,
    incompleteOutputs: entry.incompleteOutputs,
    retry: entry.retry,
    timeoutSeconds: entry.timeoutSeconds,
    limits: entry.limits,
    version: entry.version,
    ...(entry.cache ? { cache: true } : {}),
    configuration: entry.configuration,
    slurm: entry.slurm,
  };
}

export function taskToChildRows(task: Task): TaskChildRows {
  return {
    parameters: task.parameters.map((p, position) => ({
      position,
      alias: p.alias,
      flag: p.flag,
      type: p.type,
      default_value: p.default,
      required: p.required,
      spacing: p.spacing,
      switchless: p.switchless,
      choices: p.choices,
      allow_leading_dash: p.allowLeadingDash,
      help: p.help,
      json_schema: p.schema ?? null,
    })),
    environment: Object.entries(task.environment).map(([name, value]) => ({ name, value })),
    configurations: task.configuration.map((c, position) => ({ position, ...c })),
  };
}

export function taskToRetryColumn(retry: RetryPolicy) {
  const { maximumIntervalSeconds, ...rest } = retry;
  return maximumIntervalSeconds === null ? rest : { ...rest, maximumIntervalSeconds };
}
