import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';

/**
 * For a door with its own error format (OGC API - Processes, GA4GH WES): what the app-wide layers
 * refuse before the door's routes run (an unknown API key, a malformed URL) is answered in that
 * format too. `toResponse` returns null for errors the app-wide answer should keep.
 */
export function rewriteErrors(
  toResponse: (err: Error, c: Context<AppEnv>) => Response | null,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.error) return;
    const res = toResponse(c.error, c);
    if (res) c.res = res;
  };
}
