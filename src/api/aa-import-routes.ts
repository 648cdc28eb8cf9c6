import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { importAaDump } from '../aa-import/aa-import-service.ts';
import { parseConfigBody } from '../catalog/config-format.ts';
import { ImportReport } from '../catalog/config-schemas.ts';
import { loadValidators } from '../validators/load-validators.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { ImportQuery } from './config-routes.ts';
import { errorResponses } from './error-schemas.ts';

const AaRowNote = z.object({ model: z.string(), pk: z.string().nullable() });

const AaImportReport = z
  .object({
    ...ImportReport.shape,
    skipped: z
      .array(AaRowNote.extend({ reason: z.string() }))
      .openapi({ description: 'Rows not imported (users, runtime data, unmappable rows), each with why' }),
    warnings: z
      .array(AaRowNote.extend({ message: z.string() }))
      .openapi({ description: 'Rows imported with a change worth knowing (renamed, rewritten, made non-runnable)' }),
  })
  .openapi('AaImportReport');

/** Mounted at /api/v1/config/import-aa. */
export function createAaImportRoutes({ db, config }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['configuration'],
      summary: 'Import an Analytics Automated configuration dump (django-smuggler YAML)',
      ...adminOnly(),
      request: {
        query: ImportQuery,
        body: {
          required: true,
          description: 'The YAML list of {model, pk, fields} rows that A_A /admin/dump/ downloads',
          content: {
            'application/yaml': { schema: { type: 'string' } },
            'application/json': { schema: { type: 'array', items: {} } },
          },
        },
      },
      responses: {
        200: {
          description: 'What changed, what was skipped and why',
          content: { 'application/json': { schema: AaImportReport } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const dump = parseConfigBody(await c.req.text(), c.req.header('content-type'));
      return c.json(await importAaDump(db, dump, c.req.valid('query'), await loadValidators(config)), 200);
    },
  );
  return app;
}
