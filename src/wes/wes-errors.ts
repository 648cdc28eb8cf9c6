// GA4GH WES answers refusals with an ErrorResponse {msg, status_code}; one place maps ours onto it.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../api/app-env.ts';
import { HTTP_STATUS } from '../api/error-status.ts';
import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { DomainError } from '../domain/domain-error.ts';

export class WesError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(status: ContentfulStatusCode, msg: string) {
    super(msg);
    this.status = status;
  }
}

export const runNotFound = (id: string) => new WesError(404, `No run ${id}`);

/** WES's documented codes are 400, 401, 403, 404 and 500; the rest keep their HTTP meaning. */
export function toWesError(err: unknown): WesError | null {
  if (err instanceof WesError) return err;
  if (isDatabaseUnavailable(err)) return new WesError(503, 'The database is not reachable; try again shortly');
  if (!(err instanceof DomainError)) return null;
  switch (err.code) {
    case 'invalid_parameter':
    case 'invalid_body':
    case 'invalid_text':
    case 'validation_failed':
    case 'unprocessable':
    case 'job_has_no_steps':
    case 'bad_request':
      return new WesError(400, err.message);
    case 'gone':
      return new WesError(404, err.message);
    default:
      return new WesError(HTTP_STATUS[err.code], err.message);
  }
}

/** The ErrorResponse for an error; null for what only the app-wide handler should answer. */
export function wesErrorResponse(err: unknown, c: Context<AppEnv>): Response | null {
  const e = toWesError(err);
  return e ? c.json({ msg: e.message, status_code: e.status }, e.status) : null;
}

/** Runs a handler, answering what it throws as an ErrorResponse; unknown errors go to app.onError. */
export async function answerWes(c: Context<AppEnv>, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (err) {
    const res = wesErrorResponse(err, c);
    if (!res) throw err;
    return res;
  }
}
