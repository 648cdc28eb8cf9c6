import type { Db } from '../db/create-db.ts';
import { fieldName, resolveParameters, type ParameterSpec } from '../domain/parameter-values.ts';
import { compareNames } from '../catalog/names.ts';
import { typicalRunTime } from '../domain/typical-run-time.ts';
import { loadJobDefinition, type JobDefinition } from './job-definition-repository.ts';
import { listCompletedRunTimes } from './submission-repository.ts';

/** One submitted parameter as JSON Schema: what a form or a client needs to send a valid value. */
export interface ParameterJsonSchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  title: string;
  description?: string;
  enum?: string[];
  default?: string | number | boolean;
  pattern?: string;
  maxLength?: number;
  'x-task': string;
}

/** What a submitter may know of a runnable job: no commands, environment, backends or policies. */
export interface PublicJob {
  name: string;
  description: string;
  parameters: {
    type: 'object';
    properties: Record<string, ParameterJsonSchema>;
    required: string[];
    additionalProperties: false;
  };
  input: { field: 'input_data'; required: boolean; endings: string[]; validators: string[]; maxBytes: number };
  typicalRunSeconds: number | null;
  steps: number;
}

// The same bound as resolveParameters: a longer value is refused.
const MAX_VALUE_LENGTH = 4096;
// As the facade's /jobtimes/: the most recent complete runs are the sample.
const MAX_SAMPLES = 5000;

function jsonType(spec: ParameterSpec): ParameterJsonSchema['type'] {
  if (spec.type === 'switch') return 'boolean';
  if (spec.type === 'integer' || spec.type === 'number') return spec.type;
  return 'string';
}

/** The default as the API would resolve it, in the JSON type; a default the API would refuse is left out. */
function typedDefault(spec: ParameterSpec): string | number | boolean | undefined {
  if (spec.defaultValue === null) return undefined;
  const { values, problems } = resolveParameters([spec], {}, { rejectUnknown: false });
  const text = values[fieldName(spec)];
  if (problems.length > 0 || text === null || text === undefined) return undefined;
  if (spec.type === 'switch') return text === 'true';
  if (spec.type === 'integer' || spec.type === 'number') return Number(text);
  return text;
}

export function parameterSchema(spec: ParameterSpec & { help?: string }): ParameterJsonSchema {
  const schema: ParameterJsonSchema = { type: jsonType(spec), title: spec.alias, 'x-task': spec.taskName };
  if (spec.help) schema.description = spec.help;
  if (spec.type === 'choice') schema.enum = spec.choices ?? [];
  const value = typedDefault(spec);
  if (value !== undefined) schema.default = value;
  if (spec.type === 'string') {
    schema.maxLength = MAX_VALUE_LENGTH;
    if (!spec.allowLeadingDash) schema.pattern = '^(?!-)';
  }
  return schema;
}

/** The submitter's view of a job: its parameters as one JSON Schema object, keyed `<task>_<alias>`. */
export function toPublicJob(
  job: JobDefinition & { description: string },
  runSeconds: number[],
  maxUploadBytes: number,
): PublicJob {
  const specs = job.steps.flatMap((s) => s.task.parameters);
  const properties = Object.fromEntries(specs.map((spec) => [fieldName(spec), parameterSchema(spec)]));
  const validators = job.validators.filter((v) => v !== 'none');
  return {
    name: job.name,
    description: job.description,
    parameters: {
      type: 'object',
      properties,
      // A required parameter with a default is filled in by the API, so the caller need not send it.
      required: specs.filter((s) => s.required && s.defaultValue === null).map(fieldName),
      additionalProperties: false,
    },
    input: {
      field: 'input_data',
      // Every validator reads the upload (none given is empty input): the ones shipped all refuse empty data.
      required: validators.length > 0,
      endings: job.steps[0]?.task.inputs ?? [],
      validators,
      maxBytes: maxUploadBytes,
    },
    typicalRunSeconds: typicalRunTime(runSeconds),
    steps: job.steps.length,
  };
}

async function runTimesByJob(db: Db): Promise<Map<string, number[]>> {
  const rows = await listCompletedRunTimes(db, MAX_SAMPLES);
  return new Map([...Map.groupBy(rows, (r) => r.name)].map(([name, list]) => [name, list.map((r) => r.seconds)]));
}

async function loadRunnable(db: Db, name: string) {
  const [job, row] = await Promise.all([
    loadJobDefinition(db, name),
    db.selectFrom('jobs').select('description').where('name', '=', name).executeTakeFirst(),
  ]);
  return job && row && job.runnable && job.steps.length > 0 ? { ...job, description: row.description } : undefined;
}

/** Runnable jobs with at least one step, sorted by name, as submitters see them. */
export async function listPublicJobs(db: Db, maxUploadBytes: number): Promise<PublicJob[]> {
  const names = await db.selectFrom('jobs').select('name').where('runnable', '=', true).execute();
  names.sort((a, b) => compareNames(a.name, b.name));
  const [jobs, times] = await Promise.all([Promise.all(names.map((n) => loadRunnable(db, n.name))), runTimesByJob(db)]);
  return jobs.filter((j) => j !== undefined).map((j) => toPublicJob(j, times.get(j.name) ?? [], maxUploadBytes));
}

/** One runnable job as submitters see it; undefined when there is none or it cannot be submitted to. */
export async function getPublicJob(db: Db, name: string, maxUploadBytes: number): Promise<PublicJob | undefined> {
  const job = await loadRunnable(db, name);
  if (!job) return undefined;
  return toPublicJob(job, (await runTimesByJob(db)).get(name) ?? [], maxUploadBytes);
}

/** The typical run time of one job, as the catalogue shows it. */
export async function jobTypicalRunSeconds(db: Db, name: string): Promise<number | null> {
  return typicalRunTime((await runTimesByJob(db)).get(name) ?? []);
}
