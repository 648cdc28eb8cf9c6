import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import type { AppEnv } from './app-env.ts';

export function createMetricsRoutes(registry: Registry) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['health'],
      summary: 'Prometheus metrics: submissions, step durations, queue waits, request latency',
      responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => c.text(await registry.metrics(), 200, { 'content-type': registry.contentType }),
  );
  return app;
}
