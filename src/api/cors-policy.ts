import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env.ts';

/**
 * CORS for the origins in CORS_ORIGINS (A_A shipped django-cors-headers so labs could build their
 * own front-ends); with none listed no CORS header is ever sent, so browsers keep other sites out.
 * Keys travel in headers, never cookies, so credentials stay off.
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  if (origins.length === 0) return async (_c, next) => next();
  return cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'Idempotency-Key', 'Submission-Token'],
    exposeHeaders: ['Location', 'Idempotent-Replayed', 'X-Checksum-SHA256', 'X-Request-Id'],
    maxAge: 600,
  });
}
