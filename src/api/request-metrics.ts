import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Histogram } from 'prom-client';

/** The route pattern that answered (`/api/v1/submissions/:id`), never the raw path, so labels stay few. */
export function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  const pattern = routePath(c);
  // Only the catch-all middleware saw the request: no route matched.
  return pattern === '/*' || pattern === '*' || pattern === '' ? 'unmatched' : pattern;
}

/** Observes every request's latency; errors are answered by onError first, so their status counts too. */
export function requestMetrics(httpDuration: Histogram<'method' | 'route' | 'status'>): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const labels = { method: c.req.method, route: routeLabel(c), status: String(c.res.status) };
    httpDuration.observe(labels, (performance.now() - started) / 1000);
  };
}
