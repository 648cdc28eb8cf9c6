import { Backend, BackendInput } from '../catalog/backend-schemas.ts';
import { BackendDetail } from '../catalog/backend-worker-schemas.ts';
import { deleteBackend, getBackendDetail, listBackends, putBackend } from '../catalog/backend-service.ts';
import type { AppDeps } from './app-env.ts';
import { createCatalogRoutes } from './catalog-routes.ts';

/** Mounted at /api/v1/backends. */
export function createBackendRoutes({ db }: AppDeps) {
  return createCatalogRoutes({
    noun: 'backend',
    schema: Backend,
    detailSchema: BackendDetail,
    inputSchema: BackendInput,
    summaries: {
      list: 'List backends',
      get: 'Get a backend',
      put: 'Create or replace a backend',
      delete: 'Delete a backend no task uses',
    },
    deleteCanConflict: true,
    service: {
      list: () => listBackends(db),
      // With its live workers and what each can enforce.
      get: (name) => getBackendDetail(db, name),
      put: async (entry) => {
        const { backend, created } = await putBackend(db, entry);
        return { entry: backend, created };
      },
      delete: (name) => deleteBackend(db, name),
    },
  });
}
