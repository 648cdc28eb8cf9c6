import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../domain/domain-error.ts';

/** The HTTP status of each domain error code: the one place the native API decides it. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  bad_request: 400,
  invalid_yaml: 400,
  invalid_text: 422,
  unauthorized: 401,
  forbidden: 403,
  job_disabled: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_body: 422,
  invalid_parameter: 422,
  validation_failed: 422,
  unprocessable: 422,
  unknown_reference: 422,
  job_has_no_steps: 422,
  invalid_idempotency_key: 422,
  idempotency_key_reused: 422,
  idempotency_key_in_progress: 409,
  too_many_requests: 429,
  internal_error: 500,
  database_unavailable: 503,
  temporal_unavailable: 503,
};
