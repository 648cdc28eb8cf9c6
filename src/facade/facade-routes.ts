// The A_A-compatible facade under /analytics_automated/ for existing clients; docs/aa-facade.md
// lists what it keeps from A_A and what it fixes. Its contract is A_A's, so these routes are not
// part of our OpenAPI document.
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app-env.ts';
import { answerErrors, throwNotFound } from './aa-routing.ts';
import { registerFacadeJobRoutes } from './facade-job-routes.ts';
import { registerFacadeJobTimesRoute } from './facade-job-times-route.ts';
import { registerFacadeSubmissionRoutes } from './facade-submission-routes.ts';

export const FACADE_PREFIX = '/analytics_automated';

export function createFacadeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  registerFacadeSubmissionRoutes(app, deps);
  registerFacadeJobRoutes(app, deps);
  registerFacadeJobTimesRoute(app, deps);
  // Anything else under the prefix is DRF's 404, not the native API's.
  app.all('*', (c) => answerErrors(c, throwNotFound));
  return app;
}
