// The body of POST /processes/{id}/execution (execute.yaml): inputs by id, each a literal or a
// qualified value; the data input may also be a link. Pure: checks shapes, stores nothing.
import { DATA_INPUT } from './process-description.ts';
import { invalidInput } from './ogc-errors.ts';

export interface ExecuteRequest {
  parameters: Record<string, unknown>;
  /** The data input's bytes, or a URL the worker fetches, or neither. */
  data: Buffer | null;
  href: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A parameter's value: a literal, or {"value": literal} (qualifiedInputValue). */
function literal(id: string, value: unknown): unknown {
  if (isObject(value)) {
    if (!('value' in value)) throw invalidInput(`Input ${id}: give a value or {"value": ...}`);
    return literal(id, value.value);
  }
  if (Array.isArray(value)) throw invalidInput(`Input ${id}: takes one value (maxOccurs 1)`);
  return value;
}

function dataInput(value: unknown): Pick<ExecuteRequest, 'data' | 'href'> {
  if (typeof value === 'string') return { data: Buffer.from(value), href: null };
  if (isObject(value) && typeof value.href === 'string') return { data: null, href: value.href };
  if (isObject(value) && typeof value.value === 'string') {
    if (value.encoding === undefined) return { data: Buffer.from(value.value), href: null };
    if (value.encoding === 'base64') return { data: Buffer.from(value.value, 'base64'), href: null };
    throw invalidInput(`Input ${DATA_INPUT}: encoding must be base64 when given`);
  }
  throw invalidInput(`Input ${DATA_INPUT}: give a string, {"value": "...", "encoding": "base64"} or {"href": "<URL>"}`);
}

export function parseExecuteRequest(body: unknown): ExecuteRequest {
  if (!isObject(body)) throw invalidInput('The body must be a JSON object with "inputs"');
  const inputs = body.inputs ?? {};
  if (!isObject(inputs)) throw invalidInput('"inputs" must be an object keyed by input id');
  if (body.response !== undefined && body.response !== 'document' && body.response !== 'raw') {
    throw invalidInput('"response" must be "document" or "raw"');
  }
  const { [DATA_INPUT]: data, ...rest } = inputs;
  const parameters = Object.fromEntries(Object.entries(rest).map(([id, value]) => [id, literal(id, value)]));
  return { parameters, ...(data === undefined ? { data: null, href: null } : dataInput(data)) };
}
