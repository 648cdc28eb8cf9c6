import { buildArgv, type TemplateParameter } from '../domain/command-template.ts';
import type { ExecutionPlan, PlannedStep, StepRetryPolicy } from '../domain/execution-plan.ts';
import { fieldName, type ResolvedParameters } from '../domain/parameter-values.ts';
import { effectiveLimits } from '../domain/resource-limits.ts';
import type { JobDefinition, TaskDefinition } from './job-definition-repository.ts';
import { planStepGraph } from './plan-step-graph.ts';
import { planScript } from './plan-script.ts';

const DEFAULT_RETRY: StepRetryPolicy = {
  // External commands are rarely idempotent: one attempt unless the task asks for more.
  maximumAttempts: 1,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  retryableExitCodes: [],
};

export interface PlanOptions {
  heartbeatTimeoutSeconds: number;
  scheduleToStartTimeoutSeconds: number;
  /** The submission asks for the step cache on every step. */
  useCache?: boolean;
}

/** Freezes the job into a graph of steps (grouped in stages for display) with resolved argv, so later config edits never change this run. */
export function buildExecutionPlan(
  job: JobDefinition,
  submissionId: string,
  values: ResolvedParameters,
  options: PlanOptions,
): ExecutionPlan {
  const orderings = [...new Set(job.steps.map((s) => s.ordering))].sort((a, b) => a - b);
  const graph = planStepGraph(job.steps, values);
  const steps: PlannedStep[] = job.steps.map(({ ordering, task }, index) => ({
    index,
    stage: orderings.indexOf(ordering),
    taskName: task.name,
    backend: task.backend.name,
    taskQueue: task.backend.taskQueue,
    ...stepCommand(task, submissionId, values),
    environment: task.environment,
    inputEndings: task.inputs,
    outputEndings: task.outputs,
    stdoutName: `${submissionId}.${(task.stdoutEnding ?? 'stdout').replace(/^\.+/, '') || 'stdout'}`,
    customExitCodes: task.customExitCodes,
    customExitBehaviour: task.customExitBehaviour,
    incompleteOutputs: task.incompleteOutputs,
    retry: { ...DEFAULT_RETRY, ...task.retry },
    timeoutSeconds: task.timeoutSeconds,
    rootPath: task.backend.rootPath,
    // Only where asked for, so plans of every other task read as before.
    ...(task.slurm ? { slurm: task.slurm } : {}),
    ...graph[index],
    limits: effectiveLimits(task.limits, task.backend.limits),
    ...(task.version ? { taskVersion: task.version } : {}),
    ...(task.cache || options.useCache ? { cache: true } : {}),
    ...parameterFilesOf(task, values),
  }));
  return {
    submissionId,
    jobName: job.name,
    stages: orderings.map((_, stage) => steps.filter((s) => s.stage === stage)),
    graph: 1,
    heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds,
    scheduleToStartTimeoutSeconds: options.scheduleToStartTimeoutSeconds,
  };
}

/** A command task's argv from its template; a script task's [interpreter, script file] and its parameters as data. */
function stepCommand(task: TaskDefinition, submissionId: string, values: ResolvedParameters) {
  if (task.kind === 'script' && task.interpreter && task.scriptSha256) {
    const parameters = task.parameters.map((p) => ({
      alias: p.alias,
      type: p.type,
      value: values[fieldName(p)] ?? null,
    }));
    return planScript({ interpreter: task.interpreter, scriptSha256: task.scriptSha256 }, parameters);
  }
  return { argv: buildArgv(task.executable, templateValues(task, submissionId, values)) };
}

// As in A_A, a parameter whose flag contains VALUE is not a $Pn: it fills $VALUE instead.
const isValueParameter = (flag: string) => flag.includes('VALUE');

function templateValues(task: TaskDefinition, submissionId: string, values: ResolvedParameters) {
  const parameters: TemplateParameter[] = task.parameters
    .filter((p) => !isValueParameter(p.flag))
    .map((p) => ({
      flag: p.flag,
      isSwitch: p.type === 'switch',
      value: p.type === 'json' && values[fieldName(p)] !== null ? jsonFileName(p) : (values[fieldName(p)] ?? null),
      spacing: p.spacing,
      switchless: p.switchless,
    }));
  const valueParameter = task.parameters.find((p) => isValueParameter(p.flag) && p.type !== 'switch');
  return {
    parameters,
    inputNames: task.inputs.map((ending) => `${submissionId}${ending}`),
    outputNames: task.outputs.map((ending) => `${submissionId}${ending}`),
    value: (valueParameter && values[fieldName(valueParameter)]) ?? '',
    id: submissionId,
  };
}

// A json parameter reaches the task as a file in its work dir, never as an argv element.
const jsonFileName = (p: { alias: string }) => `${p.alias}.json`;

function parameterFilesOf(task: TaskDefinition, values: ResolvedParameters) {
  const files = task.parameters
    .filter((p) => p.type === 'json' && values[fieldName(p)] != null)
    .map((p) => ({ name: jsonFileName(p), json: values[fieldName(p)]! }));
  return files.length ? { parameterFiles: files } : {};
}
