import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Task, TaskInput } from '../catalog/task-schemas.ts';
import { deleteTask, getTask, listTasks, putTask } from '../catalog/task-service.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';
import { NameParam, withPathName } from './path-name.ts';

const tags = ['configuration'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** Mounted at /api/v1/tasks. */
export function createTaskRoutes({ db }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'List tasks with their parameters, environment and policies',
      ...adminOnly(),
      responses: { 200: { description: 'Sorted by name', content: json(z.array(Task)) }, ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listTasks(db), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}',
      tags,
      summary: 'Get a task',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 200: { description: 'The task', content: json(Task) }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const task = await getTask(db, name);
      if (!task) throw new DomainError('not_found', `No task named "${name}"`);
      return c.json(task, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}',
      tags,
      summary: 'Create or replace a task (parameters, environment and configuration are replaced)',
      ...adminOnly(),
      request: { params: NameParam, body: { required: true, content: json(TaskInput) } },
      responses: {
        200: { description: 'Updated', content: json(Task) },
        201: { description: 'Created', content: json(Task) },
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { task, created } = await putTask(db, withPathName(name, c.req.valid('json')));
      return c.json(task, created ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{name}',
      tags,
      summary: 'Delete a task no job uses',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      if (!(await deleteTask(db, name))) throw new DomainError('not_found', `No task named "${name}"`);
      return c.body(null, 204);
    },
  );
  return app;
}
