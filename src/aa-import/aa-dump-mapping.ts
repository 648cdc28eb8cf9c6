import { columnToLimits } from '../catalog/limit-schemas.ts';
import type { BackendEntry } from '../catalog/backend-schemas.ts';
import type { JobEntry } from '../catalog/job-schemas.ts';
import type { TaskEntry } from '../catalog/task-schemas.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import { readAaRows, type AaRow, type AaSkipped, type AaWarning, type ConfigModel } from './aa-dump-rows.ts';
import { newObjectNames } from './aa-names.ts';
import { mapAaTask } from './aa-task-mapping.ts';

const BEHAVIOURS: Record<number, string> = { 1: 'localhost', 2: 'GridEngine', 3: 'R', 4: 'Python' };

export interface AaDocument {
  version: 1;
  backends: BackendEntry[];
  tasks: TaskEntry[];
  jobs: JobEntry[];
}

export interface AaMapping {
  doc: AaDocument;
  skipped: AaSkipped[];
  warnings: AaWarning[];
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const byPk = (a: AaRow, b: AaRow) => Number(a.pk) - Number(b.pk);

/** Rows by the pk their foreign key `field` names. */
const groupByKey = (rows: AaRow[], field: string) => Map.groupBy(rows, (row) => text(row.fields[field]));

/**
 * Maps an A_A configuration dump (django-smuggler YAML, foreign keys as pks) onto our backends,
 * tasks and jobs. What cannot be mapped is skipped and reported; a job that loses a step or a
 * validator on the way is kept but made non-runnable, so it never runs with less than it had.
 */
export function mapAaDump(data: unknown, registry: ValidatorRegistry): AaMapping {
  const { rows, skipped } = readAaRows(data);
  const of = (model: ConfigModel) => [...(rows.get(model) ?? [])].sort(byPk);
  const warnings: AaWarning[] = [];
  const warn = (row: AaRow, message: string) => warnings.push({ model: row.model, pk: row.pk, message });
  const skip = (row: AaRow, reason: string) => skipped.push({ model: row.model, pk: row.pk, reason });

  const queueTypes = new Map(
    of('queuetype').map((r) => [
      r.pk,
      { name: text(r.fields.name), behaviour: Number(r.fields.execution_behaviour ?? 1) },
    ]),
  );
  const backendNames = newObjectNames();
  const backendByPk = new Map<string, string>();
  const codeLanguageByBackend = new Map<string, string>();
  const backends: BackendEntry[] = [];
  for (const row of of('backend')) {
    const { name, renamed } = backendNames.take(text(row.fields.name));
    if (renamed) warn(row, `renamed "${text(row.fields.name)}" to "${name}"`);
    const queue = queueTypes.get(text(row.fields.queue_type));
    const behaviour = queue ? (BEHAVIOURS[queue.behaviour] ?? `behaviour ${queue.behaviour}`) : null;
    if (queue && queue.behaviour !== 1) {
      warn(
        row,
        queue.behaviour === 3 || queue.behaviour === 4
          ? `A_A ran this backend's tasks as ${behaviour} code; here they are script tasks on the backend's worker`
          : `A_A ran this backend's tasks as ${behaviour}; here every task runs as a command on the backend's worker`,
      );
    }
    const rootPath = text(row.fields.root_path).trim();
    if (rootPath && !rootPath.startsWith('/'))
      warn(row, `root_path "${rootPath}" is not absolute; the worker default is used`);
    backends.push({
      name,
      rootPath: rootPath.startsWith('/') ? rootPath : null,
      description: queue ? `Imported from A_A: queue type "${queue.name}" (${behaviour})` : 'Imported from A_A',
      kind: 'local',
      slurm: null,
      limits: columnToLimits({}),
    });
    backendByPk.set(row.pk!, name);
    if (queue && (queue.behaviour === 3 || queue.behaviour === 4))
      codeLanguageByBackend.set(name, BEHAVIOURS[queue.behaviour]!);
  }

  const children = {
    parameter: groupByKey(of('parameter'), 'task'),
    environment: groupByKey(of('environment'), 'task'),
    configuration: groupByKey(of('configuration'), 'task'),
  };
  const taskNames = newObjectNames();
  const taskByPk = new Map<string, string>();
  const taskPks = new Set(of('task').map((r) => r.pk));
  const tasks: TaskEntry[] = [];
  for (const row of of('task')) {
    const backend = backendByPk.get(text(row.fields.backend));
    if (!backend) {
      skip(
        row,
        row.fields.backend == null ? 'has no backend' : `its backend ${text(row.fields.backend)} is not in the dump`,
      );
      continue;
    }
    const original = text(row.fields.name);
    const { name, renamed } = taskNames.take(original);
    const result = mapAaTask(row, {
      name,
      backend,
      codeLanguage: codeLanguageByBackend.get(backend) ?? null,
      parameters: children.parameter.get(row.pk!) ?? [],
      environment: children.environment.get(row.pk!) ?? [],
      configurations: children.configuration.get(row.pk!) ?? [],
      warn,
      skip,
    });
    if ('problems' in result) {
      skip(row, `cannot be mapped: ${result.problems.join('; ')}`);
      continue;
    }
    if (renamed)
      warn(row, `renamed "${original}" to "${name}"; A_A clients must send its parameters as ${name}_<alias>`);
    tasks.push(result.entry);
    taskByPk.set(row.pk!, name);
  }
  for (const model of ['parameter', 'environment', 'configuration'] as const) {
    for (const row of of(model)) {
      const task = text(row.fields.task);
      if (!taskByPk.has(task))
        skip(row, taskPks.has(task) ? `its task ${task} was skipped` : `its task ${task} is not in the dump`);
    }
  }

  const validatorTypes = new Map(of('validatortypes').map((r) => [r.pk, text(r.fields.name)]));
  const stepsByJob = groupByKey(of('step'), 'job');
  const validatorsByJob = groupByKey(of('validator'), 'job');
  const jobNames = newObjectNames();
  const jobPks = new Set(of('job').map((r) => r.pk));
  const jobs: JobEntry[] = [];
  for (const row of of('job')) {
    const { name, renamed } = jobNames.take(text(row.fields.name));
    if (renamed) warn(row, `renamed "${text(row.fields.name)}" to "${name}"`);
    let runnable = row.fields.runnable === true;
    const disable = (why: string) => {
      if (runnable) warn(row, `imported as not runnable: ${why}`);
      runnable = false;
    };
    const ordering = (step: AaRow) => Number(step.fields.ordering ?? 0);
    const steps = [...(stepsByJob.get(row.pk!) ?? [])].sort((a, b) => ordering(a) - ordering(b) || byPk(a, b));
    const mappedSteps = steps.flatMap((step) => {
      const task = taskByPk.get(text(step.fields.task));
      const at = ordering(step);
      if (task && Number.isInteger(at) && at >= 0 && at <= 1_000_000) return [{ task, ordering: at }];
      skip(
        step,
        task
          ? `ordering ${text(step.fields.ordering)} is not an integer from 0 to 1000000`
          : `its task ${text(step.fields.task)} was not imported`,
      );
      disable(`step ${step.pk} could not be imported`);
      return [];
    });
    const validators: string[] = [];
    for (const v of validatorsByJob.get(row.pk!) ?? []) {
      const validator = validatorTypes.get(text(v.fields.validation_type)) ?? '';
      if (!registry.has(validator)) {
        skip(v, `validator "${validator || text(v.fields.validation_type)}" is not available here`);
        disable(`its validator "${validator}" is not available`);
      } else if (!validators.includes(validator)) {
        validators.push(validator);
      }
    }
    jobs.push({ name, runnable, description: '', steps: mappedSteps, validators });
  }
  for (const model of ['step', 'validator'] as const) {
    for (const row of of(model))
      if (!jobPks.has(text(row.fields.job))) skip(row, `its job ${text(row.fields.job)} is not in the dump`);
  }

  const seen = new Set<string>();
  const uniqueSkipped = skipped.filter((s) => {
    const key = `${s.model}#${s.pk}`;
    return s.pk === null || (!seen.has(key) && Boolean(seen.add(key)));
  });
  return { doc: { version: 1, backends, tasks, jobs }, skipped: uniqueSkipped, warnings };
}
