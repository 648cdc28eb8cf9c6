import SwaggerParser from '@apidevtools/swagger-parser';
import { addOpenApiLinks } from '../../src/api/openapi-links.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';

const ADMIN_PATHS = [
  '/api/v1/keys',
  '/api/v1/keys/{id}',
  '/api/v1/backends',
  '/api/v1/backends/{name}',
  '/api/v1/tasks',
  '/api/v1/tasks/{name}',
  '/api/v1/validators',
  '/api/v1/config',
  '/api/v1/config/import-aa',
];

interface Link {
  operationRef: string;
  parameters: Record<string, string>;
}
interface Operation {
  security?: unknown;
  responses: Record<string, { links?: Record<string, Link> }>;
}

/** `#/paths/~1a~1{b}/get` → `get /a/{b}`, after checking the document has that operation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolve(doc: any, operationRef: string): string {
  const [, , encodedPath, method] = operationRef.split('/') as [string, string, string, string];
  const path = encodedPath.replaceAll('~1', '/').replaceAll('~0', '~');
  expect([operationRef, doc.paths[path]?.[method]]).toEqual([operationRef, expect.anything()]);
  return `${method} ${path}`;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('validates as OpenAPI and describes every configuration endpoint', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([...ADMIN_PATHS, '/api/v1/jobs', '/api/v1/jobs/{name}']),
    );
    for (const name of [
      'Backend',
      'Task',
      'Job',
      'PublicJob',
      'ParameterJsonSchema',
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

  it('declares on every operation the 401 and 503 that app-wide middleware can answer, and an optional key', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(25);
    for (const { at, op } of operations) {
      expect([at, Object.keys(op.responses)]).toEqual([at, expect.arrayContaining(['401', '503'])]);
      expect(op.security).toBeDefined();
    }
    expect(doc.paths['/api/v1/submissions/{id}'].get.security).toEqual([{}, { ApiKey: [] }]);
    expect(doc.paths['/api/v1/jobs'].get.security).toEqual([{}, { ApiKey: [] }]);
    expect(doc.paths['/api/v1/jobs/{name}'].put.security).toEqual([{ ApiKey: [] }]);
  });

  it('links a job to its submissions and a submission to its status, cancel, graph, files and delete', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    const linksOf = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].links as Record<string, Link>;
    const targets = (links: Record<string, Link>) => Object.values(links).map((l) => resolve(doc, l.operationRef));
    expect(targets(linksOf('/api/v1/jobs/{name}', 'put', '201'))).toEqual(['post /api/v1/jobs/{name}/submissions']);
    expect(targets(linksOf('/api/v1/jobs/{name}/submissions', 'post', '201'))).toEqual(
      expect.arrayContaining([
        'get /api/v1/submissions/{id}',
        'post /api/v1/submissions/{id}/cancel',
        'get /api/v1/submissions/{id}/graph.svg',
        'delete /api/v1/submissions/{id}',
      ]),
    );
    expect(targets(linksOf('/api/v1/submissions/{id}', 'get', '200'))).toContain(
      'get /api/v1/submissions/{id}/files/{fileId}',
    );
    // Every link everywhere resolves, and fills only parameters its target has.
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const op of Object.values(ops)) {
        for (const response of Object.values(op.responses)) {
          for (const link of Object.values(response.links ?? {})) {
            const [method, target] = resolve(doc, link.operationRef).split(' ') as [string, string];
            const names = doc.paths[target][method].parameters.map(
              (p: { in: string; name: string }) => `${p.in}.${p.name}`,
            );
            for (const name of Object.keys(link.parameters))
              expect([path, names]).toEqual([path, expect.arrayContaining([name])]);
          }
        }
      }
    }
  });

  it('declares the Submission-Token header and the 403 on cancel and delete, and the token in the POST answer', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    for (const op of [
      doc.paths['/api/v1/submissions/{id}/cancel'].post,
      doc.paths['/api/v1/submissions/{id}'].delete,
    ]) {
      expect(op.parameters).toContainEqual(
        expect.objectContaining({ in: 'header', name: 'Submission-Token', required: false }),
      );
      expect(Object.keys(op.responses)).toContain('403');
    }
    expect(doc.components.schemas.SubmissionCreated.properties.controlToken).toMatchObject({ type: 'string' });
    expect(doc.components.schemas.SubmissionCreated.required).not.toContain('controlToken');
  });

  it('refuses a link from or to an operation the document lacks, so a renamed route cannot leave links dangling', async () => {
    const doc = await readJson(await t.app.request('/openapi.json'));
    delete doc.paths['/api/v1/submissions/{id}/graph.svg'];
    expect(() => addOpenApiLinks(doc)).toThrow(/GET \/api\/v1\/submissions\/\{id\}\/graph\.svg/);
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
