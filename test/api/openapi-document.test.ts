import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';

const ADMIN_PATHS = [
  '/api/v1/keys',
  '/api/v1/keys/{id}',
  '/api/v1/backends',
  '/api/v1/backends/{name}',
  '/api/v1/tasks',
  '/api/v1/tasks/{name}',
  '/api/v1/jobs',
  '/api/v1/jobs/{name}',
  '/api/v1/validators',
  '/api/v1/config',
  '/api/v1/config/import-aa',
];

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('validates as OpenAPI and describes every configuration endpoint', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(ADMIN_PATHS));
    for (const name of [
      'Backend',
      'Task',
      'Job',
      'Parameter',
      'RetryPolicy',
      'ConfigDocument',
      'ConfigDocumentInput',
      'ImportReport',
      'AaImportReport',
      'Error',
    ]) {
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it('marks every configuration operation as needing a key, with its 401 and 403', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    for (const path of ADMIN_PATHS) {
      for (const [method, operation] of Object.entries(
        doc.paths[path] as Record<string, { security: unknown; responses: Record<string, unknown> }>,
      )) {
        expect([path, method, operation.security]).toEqual([path, method, [{ ApiKey: [] }]]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('fails validation for a broken document, so the check above can fail', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    doc.paths['/api/v1/jobs'].get.responses['200'].content['application/json'].schema = {
      $ref: '#/components/schemas/Missing',
    };
    await expect(SwaggerParser.validate(doc)).rejects.toThrow();
  });

  it('renders the docs page over the document', async () => {
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('swagger-ui');
    expect(html).toContain('/openapi.json');
  });
});
