import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { AppDeps, AppEnv } from './app-env.ts';

const Readiness = z
  .object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.string()) })
  .openapi('Readiness');

const CHECK_TIMEOUT_MS = 3000;

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(probe: () => Promise<unknown>): Promise<string> {
  try {
    await within(probe(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch (err) {
    return `unavailable: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function createHealthRoutes({ db, temporal }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['health'],
      summary: 'The process is up',
      responses: {
        200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['health'],
      summary: 'PostgreSQL and Temporal are reachable',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: Readiness } } },
        503: {
          description: 'A dependency is down; `checks` names it',
          content: { 'application/json': { schema: Readiness } },
        },
      },
    }),
    async (c) => {
      const [database, temporalCheck] = await Promise.all([
        check(() => sql`select 1`.execute(db)),
        check(async () => {
          const client = await temporal.client();
          return client.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
            client.workflowService.getSystemInfo({}),
          );
        }),
      ]);
      const checks = { database, temporal: temporalCheck };
      const ready = database === 'ok' && temporalCheck === 'ok';
      return c.json({ status: ready ? ('ready' as const) : ('unavailable' as const), checks }, ready ? 200 : 503);
    },
  );
  return app;
}
