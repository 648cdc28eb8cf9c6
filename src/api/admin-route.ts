import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../auth/auth-middleware.ts';
import type { AppEnv } from './app-env.ts';
import { refuseTooLarge } from './body-limits.ts';
import { checkTextBody } from './read-text-body.ts';

/** Configuration bodies are small; the cap stops hostile bodies before any parsing. */
export const ADMIN_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: ADMIN_BODY_LIMIT_BYTES,
  onError: (c) => refuseTooLarge(c, ADMIN_BODY_LIMIT_BYTES, 'The body'),
});

/** Spread into createRoute: an admin key is checked first, then the body size, its UTF-8, then the body itself. */
export function adminOnly() {
  return {
    security: [{ ApiKey: [] }],
    middleware: [requireRole('admin'), limitBody, checkTextBody(ADMIN_BODY_LIMIT_BYTES)] as MiddlewareHandler<AppEnv>[],
  };
}
