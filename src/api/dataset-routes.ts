import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Principal } from '../auth/principal.ts';
import { parseOrThrow } from '../catalog/rule-violation.ts';
import {
  createDataset,
  datasetView,
  deleteDataset,
  findVisibleDataset,
  listDatasets,
} from '../datasets/dataset-service.ts';
import { DomainError } from '../domain/domain-error.ts';
import { readBlobBytes } from '../files/blob-store.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { checkDeclaredSize, maxBodyBytes, nodeRequest } from './body-limits.ts';
import { DatasetFields, DatasetList, DatasetView } from './dataset-schemas.ts';
import { errorResponses } from './error-schemas.ts';
import { readMultipartBody, uploadLimitsOf } from './read-submission-body.ts';

const tags = ['datasets'];
const security = [{ ApiKey: [] }];
const DATA_FIELD = 'data';
const idParam = z.object({ id: z.string() });

function callerOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new DomainError('unauthorized', 'Datasets need an API key: send "Authorization: Bearer <key>"');
  }
  return principal;
}

/** Mounted at /api/v1/datasets: uploads kept apart from submissions, used as inputs by reference. */
export function createDatasetRoutes({ db, config }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  // The handler streams the body itself, so the route is documented here rather than validated by zod-openapi.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/',
    tags,
    summary: 'Upload a dataset (streamed); its bytes are stored once however many submissions use it',
    security,
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: DatasetFields.extend({ data: z.string().openapi({ type: 'string', format: 'binary' }) }),
          },
        },
      },
    },
    responses: {
      201: { description: 'Stored', content: { 'application/json': { schema: DatasetView } } },
      ...errorResponses(400, 401, 413, 415, 422),
    },
  });
  app.post('/', async (c) => {
    const principal = callerOf(c);
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data'))
      throw new DomainError('unsupported_media_type', 'Send the dataset as multipart/form-data');
    const maxBytes = config.limits.maxUploadBytes;
    await checkDeclaredSize(c, maxBodyBytes(type, maxBytes));
    const body = await readMultipartBody(c.req.raw, uploadLimitsOf({ db, config }), nodeRequest(c), DATA_FIELD);
    try {
      const fields = parseOrThrow(DatasetFields, body.fields);
      if (!body.upload)
        throw new DomainError('invalid_body', `${DATA_FIELD}: send the dataset as a file part`, [
          { path: DATA_FIELD, message: 'required' },
        ]);
      const row = await createDataset(db, principal, {
        name: fields.name,
        description: fields.description,
        retentionDays: fields.retentionDays ?? null,
        upload: body.upload,
      });
      const view = datasetView(row);
      c.header('Location', view.links.self);
      return c.json(view, 201);
    } finally {
      await body.cleanup();
    }
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'List datasets, newest first: your own, or all for an admin',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: {
        200: { description: 'Datasets', content: { 'application/json': { schema: DatasetList } } },
        ...errorResponses(401, 422),
      },
    }),
    async (c) => {
      const rows = await listDatasets(db, callerOf(c), c.req.valid('query').limit);
      return c.json({ items: rows.map(datasetView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'Get a dataset',
      request: { params: idParam },
      responses: {
        200: { description: 'The dataset', content: { 'application/json': { schema: DatasetView } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => c.json(datasetView(await findVisibleDataset(db, c.req.valid('param').id, callerOf(c))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/data',
      tags,
      security,
      summary: 'Download a dataset (streamed)',
      request: { params: idParam },
      responses: {
        200: {
          description: 'The bytes',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const row = await findVisibleDataset(db, c.req.valid('param').id, callerOf(c));
      return new Response(ReadableStream.from(readBlobBytes(db, row.blob_id)), {
        status: 200,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(row.size),
          'content-disposition': `attachment; filename="${row.file_name.replace(/["\\]/g, '_')}"`,
          etag: `"${row.sha256}"`,
          'x-checksum-sha256': row.sha256,
        },
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete a dataset; submissions that took it as input keep their copy',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      await deleteDataset(db, c.req.valid('param').id, callerOf(c));
      return c.body(null, 204);
    },
  );
  return app;
}
