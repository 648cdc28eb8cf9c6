import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { Role } from '../db/api-keys.table.ts';
import { authenticate } from '../auth/api-key-service.ts';

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key`; undefined when none. */
export function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  if (apiKeyHeader !== undefined) return apiKeyHeader.trim();
  const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization?.trim() ?? '');
  // Other schemes (A_A clients may send Basic credentials) stay anonymous rather than failing.
  return match ? (match[1] ?? '').trim() : undefined;
}

/** Sets `principal` for every request; a key that is presented but unknown or revoked is a 401. */
export function createAuthMiddleware({ config, db }: Pick<AppDeps, 'config' | 'db'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
    if (key === undefined) {
      c.set('principal', null);
      return next();
    }
    const principal = key === '' ? null : await authenticate(db, config.adminToken, key);
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'The API key is unknown or revoked');
    }
    c.set('principal', principal);
    await next();
  };
}

/** True when ALLOW_ANONYMOUS=false and the request sent no key: submitting then needs one. */
export function anonymousRefused(c: Context<AppEnv>, config: Pick<AppDeps['config'], 'allowAnonymous'>): boolean {
  return !c.get('principal') && !config.allowAnonymous;
}

/** 401 without a key, 403 when the key's role is not enough; admin may do what a submitter may. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'An API key is required: send "Authorization: Bearer <key>"');
    }
    if (role === 'admin' && principal.role !== 'admin') {
      throw new DomainError('forbidden', 'This needs an admin API key');
    }
    await next();
  };
}
