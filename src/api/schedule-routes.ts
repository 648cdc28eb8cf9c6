import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Principal } from '../auth/principal.ts';
import { DomainError } from '../domain/domain-error.ts';
import {
  ScheduleBackfill,
  ScheduleCreate,
  ScheduleList,
  ScheduleNote,
  SchedulePatch,
  ScheduleView,
} from '../schedules/schedule-schemas.ts';
import {
  commandSchedule,
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
  type ScheduleCommand,
} from '../schedules/schedule-service.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { errorResponses } from './error-schemas.ts';
import { checkTextBody } from './read-text-body.ts';

const tags = ['schedules'];
const security = [{ ApiKey: [] }];
const idParam = z.object({ id: z.string() });
// An inline input may hold up to 1 MB of text; the bytes are checked as UTF-8 before zod sees the JSON.
const bodyChecked = { middleware: [checkTextBody(2 * 1024 * 1024)] };
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

function ownerOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (principal) return principal;
  c.header('WWW-Authenticate', 'Bearer');
  throw new DomainError('unauthorized', 'Schedules need an API key: send "Authorization: Bearer <key>"');
}

/** A POST /{id}/<action> route: pause, unpause, trigger, backfill. */
function actionRoute<B extends z.ZodType>(action: string, summary: string, body: B) {
  return createRoute({
    method: 'post',
    path: `/{id}/${action}`,
    tags,
    security,
    summary,
    ...bodyChecked,
    request: { params: idParam, body: { required: false, ...json(body) } },
    responses: {
      200: { description: 'The schedule', ...json(ScheduleView) },
      ...errorResponses(400, 401, 404, 413, 422),
    },
  });
}

/** Mounted at /api/v1/schedules: periodic jobs as Temporal Schedules (docs/schedules.md). */
export function createScheduleRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Create a schedule: a job run periodically, each run an ordinary submission',
      ...bodyChecked,
      request: { body: { required: true, ...json(ScheduleCreate) } },
      responses: { 201: { description: 'Created', ...json(ScheduleView) }, ...errorResponses(400, 401, 409, 413, 422) },
    }),
    async (c) => {
      const view = await createSchedule(deps, ownerOf(c), c.req.valid('json'));
      c.header('Location', `/api/v1/schedules/${view.id}`);
      return c.json(view, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'List schedules: your own, or all for an admin',
      responses: { 200: { description: 'Schedules', ...json(ScheduleList) }, ...errorResponses(401) },
    }),
    async (c) => c.json({ items: await listSchedules(deps, ownerOf(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'Get a schedule, with its next and recent runs',
      request: { params: idParam },
      responses: { 200: { description: 'The schedule', ...json(ScheduleView) }, ...errorResponses(401, 404) },
    }),
    async (c) => c.json(await getSchedule(deps, ownerOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      summary: 'Change a schedule; the fields given replace the old ones',
      ...bodyChecked,
      request: { params: idParam, body: { required: true, ...json(SchedulePatch) } },
      responses: {
        200: { description: 'The schedule', ...json(ScheduleView) },
        ...errorResponses(400, 401, 404, 413, 422),
      },
    }),
    async (c) => c.json(await updateSchedule(deps, ownerOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete a schedule; its past runs stay as submissions',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      await deleteSchedule(deps, ownerOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  const command = (c: Context<AppEnv>, id: string, cmd: ScheduleCommand) => commandSchedule(deps, ownerOf(c), id, cmd);
  app.openapi(actionRoute('pause', 'Pause a schedule, with a note', ScheduleNote), async (c) =>
    c.json(await command(c, c.req.valid('param').id, { kind: 'pause', note: c.req.valid('json').note }), 200),
  );
  app.openapi(actionRoute('unpause', 'Unpause a schedule, with a note', ScheduleNote), async (c) =>
    c.json(await command(c, c.req.valid('param').id, { kind: 'unpause', note: c.req.valid('json').note }), 200),
  );
  const trigger = actionRoute('trigger', 'Run a schedule now, under its overlap policy', z.strictObject({}));
  // Nothing to send: the route takes no body.
  app.openapi({ ...trigger, request: { params: idParam } }, async (c) =>
    c.json(await command(c, c.req.valid('param').id, { kind: 'trigger' }), 200),
  );
  app.openapi(
    actionRoute('backfill', 'Run every due time of a past range, one after another', ScheduleBackfill),
    async (c) => c.json(await command(c, c.req.valid('param').id, { kind: 'backfill', ...c.req.valid('json') }), 200),
  );
  return app;
}
