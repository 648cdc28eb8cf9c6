import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from './auth-middleware.ts';
import type { AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';

/** Configuration bodies are small; the cap stops hostile bodies before any parsing. */
export const ADMIN_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: ADMIN_BODY_LIMIT_BYTES,
  onError: () => {
    throw new DomainError('payload_too_large', `The body is larger than ${ADMIN_BODY_LIMIT_BYTES} bytes`);
  },
});

/** Spread into createRoute: an admin key is checked first, then the body size, then the body itself. */
export function adminOnly() {
  return {
    security: [{ ApiKey: [] }],
    middleware: [requireRole('admin'), limitBody] as MiddlewareHandler<AppEnv>[],
  };
}
