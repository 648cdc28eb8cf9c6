import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiMetrics } from '../metrics/create-api-metrics.ts';
import type { AppEnv } from './app-env.ts';

export function createMetricsRoutes(metrics: Pick<ApiMetrics, 'scrape' | 'contentType'>) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['health'],
      summary: 'Prometheus metrics: submissions, step durations, queue waits, request latency',
      responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => c.text(await metrics.scrape(), 200, { 'content-type': metrics.contentType }),
  );
  return app;
}
