import type { Db } from '../db/create-db.ts';
import { inTransaction } from '../db/in-transaction.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import type { Job, JobEntry, Step } from './job-schemas.ts';
import {
  deleteJobRow,
  findJobRows,
  findStepRows,
  findTaskFactRows,
  findValidatorRows,
  replaceJobChildren,
  upsertJobRow,
} from './job-repository.ts';
import { fieldName } from '../domain/parameter-values.ts';
import { checkJobGraph, type TaskFacts } from './job-graph-rules.ts';
import { compareNames } from './names.ts';
import { violationError, type RuleViolation } from './rule-violation.ts';
import { lockTasksForUse } from './task-repository.ts';

const byJob = <T extends { job_id: number }>(rows: T[]) => Map.groupBy(rows, (row) => row.job_id);

/** Jobs with their steps in stage order and their validators, sorted by name. */
export async function listJobs(db: Db, names?: string[]): Promise<Job[]> {
  const jobs = await findJobRows(db, names);
  const ids = jobs.map((j) => j.id);
  const [steps, validators] = await Promise.all([
    findStepRows(db, ids).then(byJob),
    findValidatorRows(db, ids).then(byJob),
  ]);
  return jobs
    .map((job) => ({
      name: job.name,
      runnable: job.runnable,
      description: job.description,
      steps: (steps.get(job.id) ?? []).map((s) =>
        stepOf({
          task: s.task_name,
          ordering: s.ordering,
          name: s.name ?? undefined,
          after: s.after ?? undefined,
          when: s.when ?? undefined,
          onFailure: s.on_failure ?? undefined,
          inputs: s.inputs ?? undefined,
          map: s.map ?? undefined,
        }),
      ),
      validators: (validators.get(job.id) ?? []).map((v) => v.validator),
      ...(job.retention_days === null ? {} : { retentionDays: job.retention_days }),
    }))
    .sort((a, b) => compareNames(a.name, b.name));
}

export async function getJob(db: Db, name: string): Promise<Job | undefined> {
  return (await listJobs(db, [name]))[0];
}

/** The stored form of an entry, as GET will return it: steps in stage order. */
export function normalizeJob(entry: JobEntry): Job {
  const steps = entry.steps.map((step, position) => ({ step, position }));
  steps.sort((a, b) => a.step.ordering - b.step.ordering || a.position - b.position);
  return {
    name: entry.name,
    runnable: entry.runnable,
    description: entry.description,
    steps: steps.map(({ step }) => stepOf(step)),
    validators: entry.validators,
    ...(entry.retentionDays == null ? {} : { retentionDays: entry.retentionDays }),
  };
}

/** The step with its fields in one order and the unset ones left out, so exports stay byte-identical. */
function stepOf(step: Step): Step {
  const { task, ordering, name, after, when, onFailure, inputs, map } = step;
  return Object.fromEntries(
    Object.entries({ task, ordering, name, after, when, onFailure, inputs, map }).filter(([, v]) => v !== undefined),
  ) as Step;
}

function checkValidators(validators: string[], registry: ValidatorRegistry): RuleViolation[] {
  const out: RuleViolation[] = [];
  validators.forEach((name, i) => {
    if (validators.indexOf(name) !== i) out.push({ path: `validators.${i}`, message: `duplicate validator "${name}"` });
  });
  if (out.length) return out;
  validators.forEach((name, i) => {
    if (!registry.has(name)) out.push({ path: `validators.${i}`, message: `no validator named "${name}"` });
  });
  return out;
}

/** Upserts by name and replaces steps and validators in one transaction; unknown tasks or validators are 422. */
export async function putJob(
  db: Db,
  entry: JobEntry,
  registry: ValidatorRegistry,
): Promise<{ job: Job; created: boolean }> {
  const job = normalizeJob(entry);
  const badValidators = checkValidators(job.validators, registry);
  if (badValidators.length) {
    throw violationError(
      badValidators[0]!.message.startsWith('duplicate') ? 'unprocessable' : 'unknown_reference',
      badValidators,
    );
  }
  return inTransaction(db, async (tx) => {
    const taskIds = await lockTasksForUse(tx, [...new Set(entry.steps.map((s) => s.task))]);
    const missing = entry.steps.flatMap((s, i) =>
      taskIds.has(s.task) ? [] : [{ path: `steps.${i}.task`, message: `no task named "${s.task}"` }],
    );
    if (missing.length) throw violationError('unknown_reference', missing);
    const graphProblems = checkJobGraph(entry.steps, await taskFacts(tx, [...taskIds.values()]));
    if (graphProblems.length) {
      const unknown = graphProblems.every((p) => p.message.startsWith('no '));
      throw violationError(unknown ? 'unknown_reference' : 'unprocessable', graphProblems);
    }
    const { id, created } = await upsertJobRow(tx, {
      name: job.name,
      runnable: job.runnable,
      description: job.description,
      retention_days: job.retentionDays ?? null,
    });
    const stepRows = job.steps.map((s, position) => ({
      task_id: taskIds.get(s.task)!,
      ordering: s.ordering,
      position,
      name: s.name ?? null,
      after: s.after ?? null,
      when: s.when ?? null,
      on_failure: s.onFailure ?? null,
      inputs: s.inputs ?? null,
      map: s.map ?? null,
    }));
    await replaceJobChildren(tx, id, stepRows, job.validators);
    return { job, created };
  });
}

async function taskFacts(db: Db, taskIds: number[]): Promise<Map<string, TaskFacts>> {
  const facts = new Map<string, TaskFacts>();
  for (const row of await findTaskFactRows(db, taskIds)) {
    const task = facts.get(row.name) ?? { inputs: row.inputs, outputs: row.outputs, parameterFields: [] };
    if (row.alias !== null) task.parameterFields.push(fieldName({ taskName: row.name, alias: row.alias }));
    facts.set(row.name, task);
  }
  return facts;
}

export async function deleteJob(db: Db, name: string): Promise<boolean> {
  return deleteJobRow(db, name);
}
