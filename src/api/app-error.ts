import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
  | 'internal_error';

/** The one error type handlers throw; app.onError turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(status: ContentfulStatusCode, code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
