import type { OpenAPIHono } from '@hono/zod-openapi';

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
/** An operation as `METHOD /path`. */
type OperationKey = `${'GET' | 'PUT' | 'POST' | 'DELETE'} /${string}`;
interface Link {
  target: OperationKey;
  parameters: Record<string, string>;
  description: string;
}

const SUBMIT = 'POST /api/v1/jobs/{name}/submissions';
const GET_SUBMISSION = 'GET /api/v1/submissions/{id}';

const submitTo = (name: string): Link => ({
  target: SUBMIT,
  parameters: { 'path.name': name },
  description: 'Submit data to this job',
});

// Cancel and delete take no Submission-Token from these links: only anonymous submissions get a
// token, and a link whose expression finds nothing (a submission made with a key) would give a
// fuzzer or client an unresolvable parameter. `npm run fuzz` runs with the admin key, which needs none.
const onSubmission = (id: string): Record<string, Link> => ({
  GetSubmission: { target: GET_SUBMISSION, parameters: { 'path.id': id }, description: 'Poll its status' },
  CancelSubmission: {
    target: 'POST /api/v1/submissions/{id}/cancel',
    parameters: { 'path.id': id },
    description: 'Cancel it',
  },
  GetSubmissionGraph: {
    target: 'GET /api/v1/submissions/{id}/graph.svg',
    parameters: { 'path.id': id },
    description: 'Draw its progress',
  },
  DeleteSubmission: {
    target: 'DELETE /api/v1/submissions/{id}',
    parameters: { 'path.id': id },
    description: 'Erase it',
  },
});

/**
 * How a client walks the API: configure a job, submit to it, then poll, cancel, download or delete the
 * submission. Declared as OpenAPI links, so clients and stateful fuzzers can follow them.
 */
export const OPENAPI_LINKS: Partial<Record<OperationKey, Record<number, Record<string, Link>>>> = {
  'PUT /api/v1/jobs/{name}': {
    200: { SubmitToJob: submitTo('$response.body#/name') },
    201: { SubmitToJob: submitTo('$response.body#/name') },
  },
  'GET /api/v1/jobs/{name}': { 200: { SubmitToJob: submitTo('$response.body#/name') } },
  [SUBMIT]: {
    201: {
      ...onSubmission('$response.body#/id'),
      ListJobSubmissions: {
        target: 'GET /api/v1/submissions',
        parameters: { 'query.job': '$request.path.name' },
        description: 'List the submissions to this job',
      },
    },
  },
  [GET_SUBMISSION]: {
    200: {
      ...onSubmission('$response.body#/id'),
      GetFirstFile: {
        target: 'GET /api/v1/submissions/{id}/files/{fileId}',
        parameters: { 'path.id': '$response.body#/id', 'path.fileId': '$response.body#/files/0/id' },
        description: 'Download its first file (the input, when it has one)',
      },
    },
  },
  'GET /api/v1/submissions': {
    200: {
      GetNewestSubmission: {
        target: GET_SUBMISSION,
        parameters: { 'path.id': '$response.body#/items/0/id' },
        description: 'Read the newest submission listed',
      },
    },
  },
  'POST /api/v1/submissions/{id}/cancel': { 202: onSubmission('$response.body#/id') },
};

/** The operation's JSON pointer, as a Link Object's `operationRef` takes it. */
export function operationRef(key: OperationKey): string {
  const [method, path] = key.split(' ') as [string, string];
  return `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}`;
}

/** Adds OPENAPI_LINKS to a generated document; a link from or to an operation it lacks is a bug. */
export function addOpenApiLinks(doc: OpenApiDocument): OpenApiDocument {
  const operation = (key: OperationKey) => {
    const [method, path] = key.split(' ') as [string, string];
    const found = doc.paths?.[path]?.[method.toLowerCase() as 'get'];
    if (!found) throw new Error(`an OpenAPI link names ${key}, which the document lacks`);
    return found;
  };
  for (const [source, byStatus] of Object.entries(OPENAPI_LINKS) as [
    OperationKey,
    Record<number, Record<string, Link>>,
  ][]) {
    for (const [status, links] of Object.entries(byStatus)) {
      const response = operation(source).responses?.[status];
      if (!response) throw new Error(`an OpenAPI link starts from ${source} ${status}, which it does not answer`);
      response.links = Object.fromEntries(
        Object.entries(links).map(([name, { target, parameters, description }]) => {
          operation(target);
          return [name, { operationRef: operationRef(target), parameters, description }];
        }),
      );
    }
  }
  return doc;
}
