import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { compareNames } from '../catalog/names.ts';
import { isBuiltinValidator, loadValidators } from '../validators/load-validators.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { errorResponses } from './error-schemas.ts';

const ValidatorInfo = z
  .object({
    name: z.string().openapi({ example: 'seq' }),
    builtin: z.boolean().openapi({ description: 'false for validators loaded from VALIDATORS_DIR' }),
  })
  .openapi('ValidatorInfo');

/** Mounted at /api/v1/validators: the names a job's `validators` may use. */
export function createValidatorRoutes({ config }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['configuration'],
      summary: 'List the validators jobs can use (built-in and pluggable)',
      ...adminOnly(),
      responses: {
        200: { description: 'Sorted by name', content: { 'application/json': { schema: z.array(ValidatorInfo) } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const names = [...(await loadValidators(config)).keys()].sort(compareNames);
      return c.json(
        names.map((name) => ({ name, builtin: isBuiltinValidator(name) })),
        200,
      );
    },
  );
  return app;
}
