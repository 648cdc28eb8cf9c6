// A_A's status codes and bodies (reference/aa-behaviour.md §2), in one place.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTP_STATUS } from '../api/error-status.ts';
import { DomainError } from '../domain/domain-error.ts';
import { isDatabaseUnavailable } from '../db/database-errors.ts';
import type { ParameterProblem } from '../domain/parameter-values.ts';
import { JobRefusedError } from '../submissions/submit-jobs.ts';

/** Thrown inside the facade to answer with exactly this status and body. */
export class AaError extends Error {
  readonly status: ContentfulStatusCode;
  readonly body: unknown;
  constructor(status: ContentfulStatusCode, body: unknown) {
    super(typeof body === 'object' ? JSON.stringify(body) : String(body));
    this.status = status;
    this.body = body;
  }
}

export const notFound = () => new AaError(404, { detail: 'Not found.' });
export const invalidPage = () => new AaError(404, { detail: 'Invalid page.' });
export const methodNotAllowed = (method: string) => new AaError(405, { detail: `Method "${method}" not allowed.` });
export const unsupportedMediaType = (type: string) =>
  new AaError(415, { detail: `Unsupported media type "${type}" in request.` });
export const missingFields = () => new AaError(400, { error: 'Input does not contain all required fields' });
export const unknownJob = () => new AaError(400, { error: 'Job name supplied does not exist' });
/** Django form errors: field name to messages. */
export const formErrors = (errors: Record<string, string[]>) => new AaError(400, { error: errors });

export function tooManySubmissions(active: number): AaError {
  // The missing space after "jobs." and the missing "or" are A_A's, kept so clients matching it still do.
  return new AaError(429, {
    error:
      'You have no authority to post jobs.Either you are not logged in you have too many, ' +
      `${active}, concurrent jobs running`,
  });
}

const MISSING_PARAMETER = 'You are missing a required parameter in your web form submission';

function parameterError(job: string, problems: ParameterProblem[]): AaError {
  const first = problems[0];
  const reason =
    !first || first.message === 'is required' ? MISSING_PARAMETER : `Parameter ${first.field} ${first.message}`;
  return new AaError(400, {
    error:
      `Required Parameter for ${job} Missing.${reason}. ` +
      'GET /analytics_automated/endpoints to discover all required options',
  });
}

/** Any error thrown while answering a facade request, as A_A would have answered it. */
export function toAaError(err: unknown): AaError | null {
  if (err instanceof AaError) return err;
  if (isDatabaseUnavailable(err)) {
    return new AaError(503, { error: 'The database is not reachable; try again shortly' });
  }
  if (!(err instanceof DomainError)) return null;
  const job = err instanceof JobRefusedError ? err.jobName : '';
  switch (err.code) {
    case 'not_found':
    case 'gone':
      return err instanceof JobRefusedError ? unknownJob() : notFound();
    // Django REST framework's PermissionDenied body (a batch cancel without its control token).
    case 'forbidden':
      return new AaError(403, { detail: err.message });
    case 'job_disabled':
      return new AaError(403, { error: `${job} is present but currently disabled.` });
    case 'job_has_no_steps':
      return new AaError(400, { error: `Job Requested: ${job} appears to have no Steps` });
    case 'invalid_parameter':
      return parameterError(job, Array.isArray(err.details) ? (err.details as ParameterProblem[]) : []);
    case 'validation_failed':
      // A validator that rejects the data; one that is not installed is the server's fault, not the data's.
      return hasValidator(err.details)
        ? formErrors({ input_data: ['Input data could not be validated'] })
        : new AaError(500, { error: err.message });
    case 'too_many_requests':
      return tooManySubmissions(Number((err.details as { active?: number } | undefined)?.active ?? 0));
    case 'unsupported_media_type':
      return unsupportedMediaType('');
    // A Django form error on the field, with our machine code beside it for clients that read one.
    case 'invalid_text':
      return textFormError(err);
    case 'bad_request':
      return new AaError(400, { detail: `Multipart form parse error - ${err.message}` });
    // A plan that cannot be built is A_A's "Invalid string exec" 500: the job's configuration is at fault.
    case 'unprocessable':
      return new AaError(500, { error: err.message });
    default:
      return new AaError(HTTP_STATUS[err.code], { error: err.message });
  }
}

function textFormError(err: DomainError): AaError {
  const first = Array.isArray(err.details) ? (err.details[0] as { path?: unknown; message?: unknown }) : undefined;
  const field = typeof first?.path === 'string' && first.path !== '' ? first.path : 'non_field_errors';
  const message = typeof first?.message === 'string' ? first.message : err.message;
  return new AaError(400, { error: { [field]: [message] }, code: 'invalid_text' });
}

function hasValidator(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'validator' in details;
}
