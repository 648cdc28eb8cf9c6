import type { Context, MiddlewareHandler } from 'hono';
import type { TextProblemAt } from '../domain/well-formed-text.ts';
import { toAaError } from '../facade/aa-errors.ts';
import { FACADE_PREFIX } from '../facade/facade-routes.ts';
import type { AppEnv } from './app-env.ts';
import type { AppError } from './app-error.ts';
import { errorBody } from './error-handler.ts';
import { invalidText } from './invalid-text-error.ts';
import { parseFormStrict, urlPathProblem } from './strict-url-text.ts';

/**
 * Every request's path and query string must be strict percent-encoded UTF-8 without NUL before
 * any route sees them: Hono would pass `%00` on as a NUL, and leave bytes that are not UTF-8
 * encoded. Bodies are checked where they are read (read-text-body.ts, read-submission-body.ts).
 */
export function refuseMalformedUrl(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const problem = urlProblem(c.req.url);
    if (problem) return answer(c, invalidText(problem));
    await next();
  };
}

function urlProblem(rawUrl: string): TextProblemAt | null {
  const url = new URL(rawUrl);
  const path = urlPathProblem(url.pathname);
  if (path) return path;
  const query = parseFormStrict(url.search.slice(1), 'query.');
  return 'problem' in query ? query.problem : null;
}

function answer(c: Context<AppEnv>, err: AppError): Response {
  if (c.req.path.startsWith(FACADE_PREFIX)) {
    const aa = toAaError(err)!;
    return c.json(aa.body as object, aa.status);
  }
  return c.json(errorBody(err.code, err.message, err.details), err.status);
}
