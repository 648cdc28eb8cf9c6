import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { parseConfigBody, toYaml } from '../catalog/config-format.ts';
import { exportConfig } from '../catalog/config-export.ts';
import { importConfig } from '../catalog/config-import.ts';
import { ConfigDocument, ConfigDocumentInput, ImportMode, ImportReport } from '../catalog/config-schemas.ts';
import { parseOrThrow } from '../catalog/rule-violation.ts';
import { exportSchedules, importSchedules } from '../schedules/schedule-config.ts';
import { loadValidators } from '../validators/load-validators.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { errorResponses } from './error-schemas.ts';

const tags = ['configuration'];
const YAML_TYPE = 'application/yaml';

export const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ param: { name: 'dryRun', in: 'query' }, description: 'report what would change, change nothing' }),
  mode: ImportMode.default('merge').openapi({ param: { name: 'mode', in: 'query' } }),
});

/** Mounted at /api/v1/config: the whole configuration as one document. */
export function createConfigRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Export every backend, task and job (YAML unless JSON is asked for)',
      ...adminOnly(),
      request: {
        query: z.object({
          format: z
            .enum(['yaml', 'json'])
            .optional()
            .openapi({ param: { name: 'format', in: 'query' } }),
        }),
      },
      responses: {
        200: {
          description: 'Sorted by name with every default written out; importing it changes nothing',
          // The same document either way: YAML is only its other spelling.
          content: { [YAML_TYPE]: { schema: ConfigDocument }, 'application/json': { schema: ConfigDocument } },
        },
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const { format } = c.req.valid('query');
      const wantsJson = format === 'json' || (!format && /application\/json/.test(c.req.header('accept') ?? ''));
      const schedules = await exportSchedules(deps);
      const doc = { ...(await exportConfig(db)), ...(schedules.length > 0 ? { schedules } : {}) };
      if (wantsJson) return c.json(doc, 200);
      return c.body(toYaml(doc), 200, { 'Content-Type': `${YAML_TYPE}; charset=utf-8` });
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/',
      tags,
      summary: 'Import a whole configuration in one transaction (all or nothing)',
      ...adminOnly(),
      request: {
        query: ImportQuery,
        body: {
          required: true,
          description: 'A document as GET returns it, in YAML or JSON',
          content: {
            [YAML_TYPE]: { schema: { type: 'string' } },
            'application/json': { schema: { $ref: '#/components/schemas/ConfigDocumentInput' } },
          },
        },
      },
      responses: {
        200: {
          description: 'What changed (or would, on a dry run)',
          content: { 'application/json': { schema: ImportReport } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const options = c.req.valid('query');
      const doc = parseOrThrow(ConfigDocumentInput, parseConfigBody(await c.req.text(), c.req.header('content-type')));
      const report = await importConfig(db, doc, options, await loadValidators(config));
      // Temporal Schedules are not in the transaction: they follow once the catalogue is in.
      if (!doc.schedules || options.dryRun) return c.json(report, 200);
      return c.json({ ...report, schedules: await importSchedules(deps, doc.schedules) }, 200);
    },
  );
  app.openAPIRegistry.register('ConfigDocumentInput', ConfigDocumentInput);
  return app;
}
