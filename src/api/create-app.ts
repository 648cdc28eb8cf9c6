import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from './app-env.ts';
import { catchAllErrors, createErrorHandler, errorBody } from './error-handler.ts';
import { createHealthRoutes } from './health-routes.ts';
import { createSubmissionControlRoutes } from './submission-control-routes.ts';
import { createSubmissionRoutes } from './submission-routes.ts';
import { createSubmissionGraphRoutes } from './submission-graph-routes.ts';
import { createAuthMiddleware } from './auth-middleware.ts';
import { createKeyRoutes } from './key-routes.ts';
import { createBackendRoutes } from './backend-routes.ts';
import { createTaskRoutes } from './task-routes.ts';
import { createJobRoutes } from './job-routes.ts';
import { createDatasetRoutes } from './dataset-routes.ts';
import { createScheduleRoutes } from './schedule-routes.ts';
import { createRerunRoutes } from './rerun-routes.ts';
import { createValidatorRoutes } from './validator-routes.ts';
import { createConfigRoutes } from './config-routes.ts';
import { createAaImportRoutes } from './aa-import-routes.ts';
import { createFacadeRoutes, FACADE_PREFIX } from '../facade/facade-routes.ts';
import { createOgcRoutes } from '../ogcapi/ogc-routes.ts';
import { OGC_PREFIX } from '../ogcapi/process-description.ts';
import { createWesRoutes, WES_PREFIX } from '../wes/wes-routes.ts';
import { ogcErrorResponse } from '../ogcapi/ogc-errors.ts';
import { wesErrorResponse } from '../wes/wes-errors.ts';
import { rewriteErrors } from './rewrite-errors.ts';
import { schemaError } from '../catalog/rule-violation.ts';
import { createMetricsRoutes } from './metrics-routes.ts';
import { declareAppWideResponses } from './app-wide-responses.ts';
import { addOpenApiLinks } from './openapi-links.ts';
import { refuseMalformedUrl } from './refuse-malformed-text.ts';
import { requestLogging } from './request-logging.ts';
import { requestMetrics } from './request-metrics.ts';
import { createApiMetrics } from '../metrics/create-api-metrics.ts';
import { corsPolicy } from './cors-policy.ts';
import { cachedJobDefinitions } from '../submissions/job-definition-cache.ts';
import { createWebRoutes, notFoundPage, wantsPage } from '../web/web-routes.ts';

/** Validation failures of bodies, params and queries share the API's error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const err = schemaError(result.error.issues);
        return c.json(errorBody(err.code, err.message, err.details), 422);
      }
    },
  });
}

export function createApp(given: AppDeps) {
  // With change notices, submitting reads job definitions from memory (job-definition-cache.ts).
  const deps: AppDeps = {
    ...given,
    jobDefinitions: given.jobDefinitions ?? (given.events && cachedJobDefinitions(given.db, given.events)),
  };
  const app = createRouter();
  app.use(async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    await next();
    c.header('x-request-id', c.get('requestId'));
  });
  app.use(corsPolicy(deps.config.http.corsOrigins));
  app.use(catchAllErrors(deps.logger));
  const metrics = createApiMetrics(deps.db);
  app.use(requestMetrics(metrics.httpDuration));
  app.use(requestLogging(deps.logger));
  // The standards' doors answer refusals of the layers below in their own error formats.
  app.use(`${OGC_PREFIX}/*`, rewriteErrors(ogcErrorResponse));
  app.use(`${WES_PREFIX}/*`, rewriteErrors(wesErrorResponse));
  app.use(createAuthMiddleware(deps));
  app.use(refuseMalformedUrl());
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) =>
    wantsPage(c) ? notFoundPage(c) : c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404),
  );

  app.route('/', createHealthRoutes(deps));
  app.route('/', createMetricsRoutes(metrics));
  app.route('/', createSubmissionRoutes(deps));
  app.route('/', createSubmissionGraphRoutes(deps));
  app.route('/api/v1/keys', createKeyRoutes(deps));
  app.route('/api/v1/backends', createBackendRoutes(deps));
  app.route('/api/v1/tasks', createTaskRoutes(deps));
  app.route('/api/v1/jobs', createJobRoutes(deps));
  app.route('/api/v1/datasets', createDatasetRoutes(deps));
  app.route('/api/v1/schedules', createScheduleRoutes(deps));
  app.route('/api/v1/validators', createValidatorRoutes(deps));
  app.route('/api/v1/config', createConfigRoutes(deps));
  app.route('/api/v1/config/import-aa', createAaImportRoutes(deps));
  app.route(FACADE_PREFIX, createFacadeRoutes(deps));
  app.route(OGC_PREFIX, createOgcRoutes(deps));
  app.route(WES_PREFIX, createWesRoutes(deps));
  app.route('/', createSubmissionControlRoutes(deps));
  app.route('/', createRerunRoutes(deps));

  const docConfig = {
    openapi: '3.1.0',
    info: {
      title: 'analytics-automated',
      version: '1',
      description: 'Turn command-line analyses into REST services: configure jobs, submit data, poll, download.',
    },
  };
  // The routes declare their own responses; what middleware adds everywhere, and the links, are added here.
  app.get('/openapi.json', (c) =>
    c.json(addOpenApiLinks(declareAppWideResponses(app.getOpenAPI31Document(docConfig)))),
  );
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `aa keys create`, sent as `Authorization: Bearer <key>`',
  });
  // The pages (and /docs) last: every API route above wins over a page path.
  app.route('/', createWebRoutes(deps));
  return app;
}
