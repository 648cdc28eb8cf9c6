/** The machine codes of every refusal; each door (native API, A_A facade) maps them to its own answer. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_body'
  | 'invalid_yaml'
  | 'invalid_text'
  | 'invalid_parameter'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'unknown_reference'
  | 'too_many_requests'
  | 'database_unavailable'
  | 'temporal_unavailable'
  | 'job_disabled'
  | 'job_has_no_steps'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_progress'
  | 'internal_error';

/**
 * The one error services throw: a code, a human message and details for the client. The HTTP
 * status is the API's business (src/api/error-status.ts), so services know nothing of HTTP.
 * @example throw new DomainError('not_found', `No submission ${id}`);
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
