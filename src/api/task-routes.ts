import { Task, TaskInput } from '../catalog/task-schemas.ts';
import { deleteTask, getTask, listTasks, putTask } from '../catalog/task-service.ts';
import type { AppDeps } from './app-env.ts';
import { createCatalogRoutes } from './catalog-routes.ts';

/** Mounted at /api/v1/tasks. */
export function createTaskRoutes({ db }: AppDeps) {
  return createCatalogRoutes({
    noun: 'task',
    schema: Task,
    inputSchema: TaskInput,
    summaries: {
      list: 'List tasks with their parameters, environment and policies',
      get: 'Get a task',
      put: 'Create or replace a task (parameters, environment and configuration are replaced)',
      delete: 'Delete a task no job uses',
    },
    deleteCanConflict: true,
    service: {
      list: () => listTasks(db),
      get: (name) => getTask(db, name),
      put: async (entry) => {
        const { task, created } = await putTask(db, entry);
        return { entry: task, created };
      },
      delete: (name) => deleteTask(db, name),
    },
  });
}
