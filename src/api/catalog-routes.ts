import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { adminOnly } from './admin-route.ts';
import type { AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';
import { NameParam, withPathName } from './path-name.ts';

const tags = ['configuration'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** What a catalogue route needs from its service, with the database (and anything else) already bound. */
export interface CatalogService<Entry, Input> {
  list: () => Promise<Entry[]>;
  get: (name: string) => Promise<Entry | undefined>;
  put: (entry: Input & { name: string }) => Promise<{ entry: Entry; created: boolean }>;
  delete: (name: string) => Promise<boolean>;
}

export interface CatalogRoutesSpec<EntrySchema extends z.ZodType, InputSchema extends z.ZodType<{ name?: string }>> {
  /** Singular, lower case: "backend" in "No backend named …" and "The backend". */
  noun: string;
  /** The stored object as answered by every route. */
  schema: EntrySchema;
  /** What GET /{name} answers when it tells more than the stored object (a backend's live workers). */
  detailSchema?: z.ZodType;
  /** The PUT body; its `name` is optional and must agree with the path. */
  inputSchema: InputSchema;
  summaries: { list: string; get: string; put: string; delete: string };
  /** Whether other objects can refuse the deletion (409), e.g. a backend a task still uses. */
  deleteCanConflict: boolean;
  service: CatalogService<z.infer<EntrySchema>, z.infer<InputSchema>>;
  /** The caller registers its own list and get routes (the jobs' are readable by submitters). */
  ownReads?: boolean;
}

/**
 * The list/get/put/delete routes every catalogue kind (backends, tasks, jobs) offers, admin only.
 * One factory keeps their statuses, error shapes and OpenAPI operations alike.
 */
export function createCatalogRoutes<EntrySchema extends z.ZodType, InputSchema extends z.ZodType<{ name?: string }>>({
  noun,
  schema,
  inputSchema,
  summaries,
  deleteCanConflict,
  service,
  detailSchema,
  ownReads = false,
}: CatalogRoutesSpec<EntrySchema, InputSchema>) {
  const app = new OpenAPIHono<AppEnv>();
  // A schema generic over its output leaves the route's body type unknown to Hono; this view names its `name`.
  const putBody: z.ZodType<{ name?: string }> = inputSchema;
  const notFound = (name: string) => new DomainError('not_found', `No ${noun} named "${name}"`);
  if (!ownReads) {
    app.openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: summaries.list,
        ...adminOnly(),
        responses: {
          200: { description: 'Sorted by name', content: json(z.array(schema)) },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => c.json(await service.list(), 200),
    );
    app.openapi(
      createRoute({
        method: 'get',
        path: '/{name}',
        tags,
        summary: summaries.get,
        ...adminOnly(),
        request: { params: NameParam },
        responses: {
          200: { description: `The ${noun}`, content: json(detailSchema ?? schema) },
          ...errorResponses(401, 403, 404, 422),
        },
      }),
      async (c) => {
        const { name } = c.req.valid('param');
        const entry = await service.get(name);
        if (!entry) throw notFound(name);
        return c.json(entry, 200);
      },
    );
  }
  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}',
      tags,
      summary: summaries.put,
      ...adminOnly(),
      request: { params: NameParam, body: { required: true, content: json(putBody) } },
      responses: {
        200: { description: 'Updated', content: json(schema) },
        201: { description: 'Created', content: json(schema) },
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      // The validator parsed the body with inputSchema: its type is that schema's.
      const body = c.req.valid('json') as z.infer<InputSchema>;
      const { entry, created } = await service.put(withPathName(name, body));
      return c.json(entry, created ? 201 : 200);
    },
  );
  const deleteErrors = deleteCanConflict ? errorResponses(401, 403, 404, 409, 422) : errorResponses(401, 403, 404, 422);
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{name}',
      tags,
      summary: summaries.delete,
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 204: { description: 'Deleted' }, ...deleteErrors },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      if (!(await service.delete(name))) throw notFound(name);
      return c.body(null, 204);
    },
  );
  return app;
}
