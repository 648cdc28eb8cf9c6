// OGC API - Processes answers refusals with an exception document (RFC 7807 fields: type, title,
// status, detail); the exception types are the standard's own URIs, one place for all of them.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../api/app-env.ts';
import { HTTP_STATUS } from '../api/error-status.ts';
import { isDatabaseUnavailable } from '../db/database-errors.ts';
import { DomainError } from '../domain/domain-error.ts';

const EXCEPTIONS = 'http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0';

/** Thrown inside the OGC routes to answer with this exception. */
export class OgcException extends Error {
  readonly status: ContentfulStatusCode;
  readonly type: string;
  readonly title: string;
  constructor(status: ContentfulStatusCode, type: string, title: string, detail: string) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
  }
}

export const noSuchProcess = (id: string) =>
  new OgcException(404, `${EXCEPTIONS}/no-such-process`, 'No such process', `No process "${id}"`);
export const noSuchJob = (id: string) =>
  new OgcException(404, `${EXCEPTIONS}/no-such-job`, 'No such job', `No job "${id}"`);
export const resultNotReady = (id: string, status: string) =>
  new OgcException(404, `${EXCEPTIONS}/result-not-ready`, 'Result not ready', `Job ${id} is ${status}`);
export const invalidInput = (detail: string) =>
  new OgcException(400, `${EXCEPTIONS}/invalid-parameter-value`, 'Invalid input', detail);
export const notFoundPath = (path: string) =>
  new OgcException(404, `${EXCEPTIONS}/not-found`, 'Not found', `Nothing at ${path}`);

/** The exception for anything a route throws; null for what only the app-wide handler should answer. */
export function toOgcException(err: unknown): OgcException | null {
  if (err instanceof OgcException) return err;
  if (isDatabaseUnavailable(err)) {
    return new OgcException(503, `${EXCEPTIONS}/unavailable`, 'Unavailable', 'The database is not reachable');
  }
  if (!(err instanceof DomainError)) return null;
  switch (err.code) {
    // A job the client named that cannot run is no process to it.
    case 'job_disabled':
    case 'job_has_no_steps':
      return new OgcException(404, `${EXCEPTIONS}/no-such-process`, 'No such process', err.message);
    case 'invalid_parameter':
    case 'invalid_body':
    case 'invalid_text':
    case 'validation_failed':
    case 'unprocessable':
    case 'bad_request':
      return invalidInput(err.message);
    default:
      return new OgcException(
        HTTP_STATUS[err.code],
        `${EXCEPTIONS}/${err.code.replaceAll('_', '-')}`,
        err.code,
        err.message,
      );
  }
}

export function exceptionResponse(c: Context<AppEnv>, e: OgcException): Response {
  return c.json({ type: e.type, title: e.title, status: e.status, detail: e.message }, e.status, {
    'Content-Type': 'application/problem+json',
  });
}

/** Runs a handler, answering what it throws as an OGC exception; unknown errors go to app.onError. */
export async function answerOgc(c: Context<AppEnv>, handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (err) {
    const res = ogcErrorResponse(err as Error, c);
    if (!res) throw err;
    return res;
  }
}

/** The exception answer for an error thrown outside answerOgc (the app-wide middleware); null to keep the app's. */
export function ogcErrorResponse(err: Error, c: Context<AppEnv>): Response | null {
  const e = toOgcException(err);
  return e ? exceptionResponse(c, e) : null;
}
