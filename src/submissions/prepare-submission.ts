import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/domain-error.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { TemplateError } from '../domain/command-template.ts';
import type { ExecutionPlan } from '../domain/execution-plan.ts';
import { resolveParameters, type ResolvedParameters, type SubmittedParameters } from '../domain/parameter-values.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import { fileInput, runValidators, type ValidatorInput } from '../validators/run-validators.ts';
import { storedBytesInput } from './referenced-input-bytes.ts';
import type { ReferencedInput } from './resolve-input-ref.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import { buildExecutionPlan } from './build-execution-plan.ts';
import type { JobDefinition } from './job-definition-repository.ts';
import { jobDefinitionsOf, type JobDefinitionReader } from './job-definition-cache.ts';

export interface SubmissionRequest {
  jobName: string;
  submissionName: string;
  email: string | null;
  parameters: SubmittedParameters;
  upload: UploadedInput | null;
  /** The input by reference (a dataset, an earlier result, a URL) instead of an upload. */
  referencedInput?: ReferencedInput | null;
  /** Reuse cached step results even for tasks that do not ask for it (docs/step-cache.md). */
  useCache?: boolean;
  /** The submission this one re-runs. */
  rerunOf?: string | null;
  /** The native API refuses unknown fields; the A_A facade accepts them as A_A did. */
  rejectUnknownParameters: boolean;
}

export interface PreparedSubmission {
  id: string;
  job: JobDefinition;
  request: SubmissionRequest;
  values: ResolvedParameters;
  plan: ExecutionPlan;
}

export interface PrepareDeps {
  db: Db;
  config: Config;
  validators?: ValidatorRegistry;
  /** Job definitions kept between submissions (the API's); without it each is read from the database. */
  jobDefinitions?: JobDefinitionReader | undefined;
}

/** Every check that can refuse a submission, before anything is stored. */
export async function prepareSubmission(deps: PrepareDeps, request: SubmissionRequest): Promise<PreparedSubmission> {
  const job = await jobDefinitionsOf(deps)(request.jobName);
  if (!job) throw new DomainError('not_found', `No job named "${request.jobName}"`);
  if (!job.runnable) throw new DomainError('job_disabled', `Job "${job.name}" is present but currently disabled`);
  if (job.steps.length === 0) throw new DomainError('job_has_no_steps', `Job "${job.name}" has no steps`);

  const specs = job.steps.flatMap((s) => s.task.parameters);
  const { values, problems } = resolveParameters(specs, request.parameters, {
    rejectUnknown: request.rejectUnknownParameters,
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new DomainError('invalid_parameter', `Parameter ${first.field} ${first.message}`, problems);
  }
  await runJobValidators(job, await validatorInput(deps, request), deps.validators);

  const id = randomUUID();
  try {
    const plan = buildExecutionPlan(job, id, values, {
      heartbeatTimeoutSeconds: deps.config.execution.heartbeatTimeoutSeconds,
      scheduleToStartTimeoutSeconds: deps.config.execution.scheduleToStartTimeoutSeconds,
      useCache: request.useCache ?? false,
    });
    return { id, job, request, values, plan };
  } catch (err) {
    if (err instanceof TemplateError) {
      throw new DomainError('unprocessable', `Job "${job.name}" cannot run: ${err.message}`);
    }
    throw err;
  }
}

/** What the job's validators read: the upload, or the stored bytes a reference names. */
async function validatorInput(deps: PrepareDeps, request: SubmissionRequest): Promise<() => Promise<ValidatorInput>> {
  const ref = request.referencedInput;
  if (ref?.kind === 'blob') return () => storedBytesInput(deps.db, ref.sha256, ref.size);
  if (ref?.kind === 'url')
    return async () => {
      throw new DomainError(
        'validation_failed',
        `Job "${request.jobName}" checks its input with validators: give it as an upload, a dataset or an earlier result, not a URL`,
      );
    };
  return async () => fileInput(request.upload);
}

async function runJobValidators(
  job: JobDefinition,
  input: () => Promise<ValidatorInput>,
  registry?: ValidatorRegistry,
) {
  const names = job.validators.filter((name) => name !== 'none');
  if (names.length === 0) return;
  const refusal = await runValidators(registry ?? new Map(), names, await input());
  if (refusal?.reason === 'not_installed') {
    throw new DomainError('validation_failed', `Validator "${refusal.validator}" is not installed on this server`);
  }
  if (refusal) {
    throw new DomainError('validation_failed', `Input data was rejected by validator "${refusal.validator}"`, {
      validator: refusal.validator,
    });
  }
}
