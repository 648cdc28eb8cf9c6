import type { Db } from '../db/create-db.ts';
import type { LimitsColumn } from '../db/tasks.table.ts';
import type { ExitPolicy, StepRetryPolicy } from '../domain/execution-plan.ts';
import type { ParameterSpec } from '../domain/parameter-values.ts';
import type { SlurmRequests } from '../domain/slurm-job.ts';
import type { StepBinding, StepCondition, StepMap } from '../catalog/step-graph-schemas.ts';

/** A step's graph settings as configured; undefined ones mean what they meant before graphs. */
export interface StepGraphFields {
  name?: string | undefined;
  after?: string[] | undefined;
  when?: StepCondition[] | undefined;
  onFailure?: 'stop' | 'continue' | undefined;
  inputs?: StepBinding[] | undefined;
  map?: StepMap | undefined;
}

export interface TaskParameterDefinition extends ParameterSpec {
  spacing: boolean;
  switchless: boolean;
  help: string;
}

export interface TaskDefinition {
  name: string;
  backend: { name: string; taskQueue: string; rootPath: string | null; limits?: LimitsColumn };
  /** Absent: command. */
  kind?: 'command' | 'script';
  executable: string;
  interpreter?: string | null;
  scriptSha256?: string | null;
  /** Only the limits the task sets itself; absent or missing ones come from its backend. */
  limits?: LimitsColumn;
  inputs: string[];
  outputs: string[];
  stdoutEnding: string | null;
  customExitCodes: number[];
  customExitBehaviour: ExitPolicy;
  incompleteOutputs: ExitPolicy;
  retry: Partial<StepRetryPolicy>;
  timeoutSeconds: number | null;
  version?: string | null;
  cache?: boolean;
  parameters: TaskParameterDefinition[];
  environment: Record<string, string>;
  slurm: SlurmRequests | null;
}

export interface JobDefinition {
  id: number;
  name: string;
  runnable: boolean;
  retentionDays: number | null;
  validators: string[];
  steps: ({ ordering: number; task: TaskDefinition } & StepGraphFields)[];
}

/** Everything needed to plan a run of the job, read in a few queries; undefined when no such job. */
export async function loadJobDefinition(db: Db, jobName: string): Promise<JobDefinition | undefined> {
  const job = await db.selectFrom('jobs').selectAll().where('name', '=', jobName).executeTakeFirst();
  if (!job) return undefined;
  const [steps, validators] = await Promise.all([
    db
      .selectFrom('job_steps')
      .innerJoin('tasks', 'tasks.id', 'job_steps.task_id')
      .innerJoin('backends', 'backends.id', 'tasks.backend_id')
      .select([
        'job_steps.ordering',
        'job_steps.name as step_name',
        'job_steps.after',
        'job_steps.when',
        'job_steps.on_failure',
        'job_steps.inputs as bindings',
        'job_steps.map',
        'tasks.id as task_id',
        'tasks.name',
        'tasks.executable',
        'tasks.kind',
        'tasks.interpreter',
        'tasks.script_sha256',
        'tasks.limits',
        'backends.limits as backend_limits',
        'tasks.inputs',
        'tasks.outputs',
        'tasks.stdout_ending',
        'tasks.custom_exit_codes',
        'tasks.custom_exit_behaviour',
        'tasks.incomplete_outputs',
        'tasks.retry',
        'tasks.timeout_seconds',
        'tasks.slurm',
        'tasks.version',
        'tasks.cache',
        'backends.name as backend_name',
        'backends.task_queue',
        'backends.root_path',
      ])
      .where('job_steps.job_id', '=', job.id)
      .orderBy('job_steps.ordering')
      .orderBy('job_steps.position')
      .execute(),
    db.selectFrom('job_validators').select('validator').where('job_id', '=', job.id).orderBy('position').execute(),
  ]);
  const taskIds = [...new Set(steps.map((s) => s.task_id))];
  const [parameters, environment] = taskIds.length
    ? await Promise.all([
        db.selectFrom('task_parameters').selectAll().where('task_id', 'in', taskIds).orderBy('position').execute(),
        db.selectFrom('task_environment').selectAll().where('task_id', 'in', taskIds).orderBy('name').execute(),
      ])
    : [[], []];
  return {
    id: job.id,
    name: job.name,
    runnable: job.runnable,
    retentionDays: job.retention_days,
    validators: validators.map((v) => v.validator),
    steps: steps.map((row) => ({
      ordering: row.ordering,
      name: row.step_name ?? undefined,
      after: row.after ?? undefined,
      when: row.when ?? undefined,
      onFailure: row.on_failure ?? undefined,
      inputs: row.bindings ?? undefined,
      map: row.map ?? undefined,
      task: {
        name: row.name,
        backend: {
          name: row.backend_name,
          taskQueue: row.task_queue,
          rootPath: row.root_path,
          limits: row.backend_limits,
        },
        kind: row.kind,
        executable: row.executable,
        interpreter: row.interpreter,
        scriptSha256: row.script_sha256,
        limits: row.limits,
        inputs: row.inputs,
        outputs: row.outputs,
        stdoutEnding: row.stdout_ending,
        customExitCodes: row.custom_exit_codes,
        customExitBehaviour: row.custom_exit_behaviour,
        incompleteOutputs: row.incomplete_outputs,
        retry: row.retry,
        timeoutSeconds: row.timeout_seconds,
        slurm: row.slurm,
        version: row.version,
        cache: row.cache,
        parameters: parameters
          .filter((p) => p.task_id === row.task_id)
          .map((p) => ({
            taskName: row.name,
            alias: p.alias,
            flag: p.flag,
            type: p.type,
            defaultValue: p.default_value,
            required: p.required,
            choices: p.choices,
            allowLeadingDash: p.allow_leading_dash,
            jsonSchema: p.json_schema,
            spacing: p.spacing,
            switchless: p.switchless,
            help: p.help,
          })),
        environment: Object.fromEntries(
          environment.filter((e) => e.task_id === row.task_id).map((e) => [e.name, e.value]),
        ),
      },
    })),
  };
}
