import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../api/app-env.ts';

/**
 * Pages load scripts, styles and data only from this server, and scripts only from files: an
 * injected `<script>` or `onclick=` never runs. Images may also be data: URLs (result previews).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Swagger UI sets style attributes from its script, so its page allows inline styles; never inline scripts.
export const DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

/** Headers every HTML page carries: the CSP, no MIME sniffing, no framing, no referrer to elsewhere. */
export function pageHeaders(csp: string = PAGE_CSP): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
  };
}
