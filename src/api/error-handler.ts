import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../logger.ts';
import { DomainError } from '../domain/domain-error.ts';
import { HTTP_STATUS } from './error-status.ts';
import { isDatabaseUnavailable, isTransactionConflict } from '../db/database-errors.ts';

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Maps every thrown error to the API's error shape; unknown errors are logged, never leaked. */
export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof DomainError) return c.json(errorBody(err.code, err.message, err.details), HTTP_STATUS[err.code]);
    if (err instanceof HTTPException) {
      const code = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'bad_request';
      return c.json(errorBody(code, err.message || 'Bad request'), err.status);
    }
    if (isDatabaseUnavailable(err)) {
      return c.json(errorBody('database_unavailable', 'The database is not reachable; try again shortly'), 503);
    }
    if (isTransactionConflict(err)) {
      c.header('Retry-After', '1');
      return c.json(
        errorBody('concurrent_change', 'A concurrent change to the same data got in the way; try again'),
        503,
      );
    }
    logger.error({ err, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal_error', 'Internal server error'), 500);
  };
}

/**
 * Hono passes only `instanceof Error` values to onError and rethrows anything else, which then
 * escapes as a bare 500. Socket errors from another realm (jest's VM context) and thrown
 * non-errors are caught here and get the same error shape.
 */
export function catchAllErrors(logger: Logger): MiddlewareHandler {
  const handle = createErrorHandler(logger);
  return async (c, next) => {
    try {
      await next();
    } catch (err) {
      c.res = handle(
        err instanceof Error
          ? err
          : Object.assign(new Error(String((err as { message?: unknown })?.message ?? err)), err),
        c,
      );
    }
  };
}
