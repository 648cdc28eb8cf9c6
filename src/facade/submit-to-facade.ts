// POST /analytics_automated/submission/: A_A's checks in A_A's order (reference/aa-behaviour.md §2.1),
// then the native flow, which checks every job before storing anything.
import { z } from 'zod';
import type { AppDeps } from '../api/app-env.ts';
import { anonymousRefused } from '../api/auth-middleware.ts';
import { clientIp } from '../api/submit-routes.ts';
import { jobDefinitionsOf } from '../submissions/job-definition-cache.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import { clientPriority, submitJobs } from '../submissions/submit-jobs.ts';
import type { SubmissionBody } from '../api/read-submission-body.ts';
import {
  answerOnce,
  fingerprintRequest,
  IdempotencyConflict,
  parseIdempotencyKey,
} from '../submissions/answer-once.ts';
import type { SubmissionOrigin } from '../submissions/start-submission.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { AaError, formErrors, missingFields, tooManySubmissions, unknownJob } from './aa-errors.ts';
import type { AaContext } from './aa-routing.ts';
import { uploadLimitsOf } from '../api/read-submission-body.ts';
import { readFacadeBody } from './read-facade-body.ts';

const RESERVED_FIELDS = new Set(['job', 'submission_name', 'email', 'input_data']);
// Django's Submission model: submission_name max 64, email an EmailField of max 256.
const NAME_MAX = 64;
const EMAIL_MAX = 256;
const emailSchema = z.email();

export function createFacadeSubmitHandler(deps: AppDeps) {
  return async (c: AaContext) => {
    // Before the body is read, in Django REST framework's words for a request without credentials.
    if (anonymousRefused(c, deps.config)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AaError(401, { detail: 'Authentication credentials were not provided.' });
    }
    const parsedKey = parseIdempotencyKey(c.req.header('idempotency-key'));
    if ('invalid' in parsedKey) throw new AaError(400, { error: parsedKey.invalid });
    const body = await readFacadeBody(c, uploadLimitsOf(deps));
    try {
      const origin = { principal: c.get('principal') ?? null, ip: clientIp(c) };
      const submitOnce = () => submitForm(deps, body, origin);
      const answer =
        parsedKey.key === null
          ? await submitOnce()
          : await answerOnce(
              deps.db,
              {
                clientIdentity: clientIdentityOf(origin.principal, origin.ip),
                scope: 'aa-submission',
                key: parsedKey.key,
              },
              await fingerprintRequest(body.fields, body.upload),
              submitOnce,
            ).catch(asAaConflict);
      if ('replayed' in answer && answer.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(answer.body, 201);
    } finally {
      await body.cleanup();
    }
  };
}

function asAaConflict(err: unknown): never {
  if (!(err instanceof IdempotencyConflict)) throw err;
  throw new AaError(err.reason === 'reused' ? 422 : 409, { error: err.message });
}

/** A_A's checks, then the native flow; the answer A_A gave, as a status and body. */
async function submitForm(deps: AppDeps, body: SubmissionBody, origin: Omit<SubmissionOrigin, 'batchId'>) {
  const { fields } = body;
  if (!['submission_name', 'email', 'job'].every((key) => Object.hasOwn(fields, key))) throw missingFields();
  // As A_A: split on commas, not trimmed.
  const jobNames = fields.job!.split(',');
  await checkJobsExist(deps, jobNames);
  const { priority, active } = await clientPriority(deps, origin);
  if (priority === null) throw tooManySubmissions(active);
  const { submissionName, email } = checkFormFields(fields, body.upload);

  const parameters = Object.fromEntries(Object.entries(fields).filter(([key]) => !RESERVED_FIELDS.has(key)));
  const { batchId, controlToken } = await submitJobs(
    deps,
    jobNames.map((jobName) => ({
      jobName,
      submissionName,
      email,
      parameters,
      upload: body.upload,
      // A_A accepted fields it did not know; they are ignored here rather than refused.
      rejectUnknownParameters: false,
    })),
    origin,
    { alwaysBatch: true },
  );
  // Not in A_A: an anonymous batch's control token, needed to cancel it with DELETE (docs/aa-facade.md).
  const control = controlToken === null ? {} : { control_token: controlToken };
  return { status: 201, body: { UUID: batchId, submission_name: submissionName, ...control } };
}

async function checkJobsExist(deps: AppDeps, names: string[]) {
  const read = jobDefinitionsOf(deps);
  // A definition that cannot be loaded (a nested job is gone) is still a job: preparing it refuses it later.
  const found = await Promise.all([...new Set(names)].map((name) => read(name).catch(() => true)));
  if (found.includes(undefined)) throw unknownJob();
}

/**
 * Django's SubmissionForm checks, with its messages. One fix: a blank email is accepted as none,
 * where A_A required one even when it sent no mail.
 */
function checkFormFields(fields: Record<string, string>, upload: UploadedInput | null) {
  const errors: Record<string, string[]> = {};
  const submissionName = (fields.submission_name ?? '').trim();
  const email = (fields.email ?? '').trim();
  if (submissionName === '') errors.submission_name = ['This field is required.'];
  else if (submissionName.length > NAME_MAX) errors.submission_name = [tooLong(NAME_MAX, submissionName.length)];
  if (email.length > EMAIL_MAX) errors.email = [tooLong(EMAIL_MAX, email.length)];
  else if (email !== '' && !emailSchema.safeParse(email).success) errors.email = ['Enter a valid email address.'];
  if (!upload) errors.input_data = ['This field is required.'];
  if (Object.keys(errors).length > 0) throw formErrors(errors);
  return { submissionName, email: email === '' ? null : email };
}

const tooLong = (max: number, length: number) => `Ensure this value has at most ${max} characters (it has ${length}).`;
