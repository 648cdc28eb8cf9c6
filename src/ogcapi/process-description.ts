// A runnable job as an OGC API - Processes process: its summary for /processes and its description
// (inputs from the job's parameter schema and its upload, one output of result files).
import type { PublicJob } from '../submissions/public-job-catalogue.ts';

export const OGC_PREFIX = '/ogcapi';
export const REL_EXECUTE = 'http://www.opengis.net/def/rel/ogc/1.0/execute';
/** The input that carries the job's data: the native API's upload field. */
export const DATA_INPUT = 'input_data';

const VERSION = '1.0.0';

export function processSummary(job: PublicJob) {
  const self = `${OGC_PREFIX}/processes/${encodeURIComponent(job.name)}`;
  return {
    id: job.name,
    title: job.name,
    description: job.description,
    version: VERSION,
    // Steps run as long as they run: only asynchronous execution is offered.
    jobControlOptions: ['async-execute'],
    outputTransmission: ['reference'],
    links: [
      { href: self, rel: 'self', type: 'application/json', title: 'Process description' },
      { href: `${self}/execution`, rel: REL_EXECUTE, type: 'application/json', title: 'Execute' },
    ],
  };
}

export function processDescription(job: PublicJob) {
  const required = new Set(job.parameters.required);
  const parameterInputs = Object.entries(job.parameters.properties).map(([field, schema]) => {
    const { title, description, 'x-task': task, ...valueSchema } = schema;
    return [
      field,
      {
        title,
        description: description ?? `Parameter ${title} of task ${task}`,
        schema: valueSchema,
        minOccurs: required.has(field) ? 1 : 0,
        maxOccurs: 1,
      },
    ] as const;
  });
  const endings = job.input.endings.length > 0 ? ` (a file ending ${job.input.endings.join(', ')})` : '';
  const dataInput = {
    title: 'Input data',
    description:
      `The data the job runs on${endings}: a string, {"value": "<base64>", "encoding": "base64"} ` +
      'or {"href": "<URL>"}',
    schema: { type: 'string', contentMediaType: 'application/octet-stream', maxLength: job.input.maxBytes },
    minOccurs: job.input.required ? 1 : 0,
    maxOccurs: 1,
  };
  return {
    ...processSummary(job),
    inputs: { [DATA_INPUT]: dataInput, ...Object.fromEntries(parameterInputs) },
    outputs: {
      results: {
        title: 'Result files',
        description: 'Every file the steps produce; the results document names each by its file name',
        schema: { type: 'string', contentMediaType: 'application/octet-stream' },
      },
    },
  };
}
