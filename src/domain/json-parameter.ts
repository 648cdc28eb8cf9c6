import { Ajv, type ValidateFunction } from 'ajv';

/** A JSON value may be far longer than a flag value, but stays a parameter, not a data file. */
export const MAX_JSON_LENGTH = 64 * 1024;

export interface JsonProblem {
  /** JSON Pointer into the value ('' for the value itself). */
  path: string;
  message: string;
}

// strict: a schema with unknown keywords is refused when the task is saved, not silently ignored.
const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    // Compiled once per distinct schema, bounded so tasks edited over and over cannot grow it for ever.
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Why a task's JSON Schema cannot be used, or null when it compiles. */
export function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    validatorFor(schema);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Parses a submitted value (JSON text, or already parsed from a JSON body) and checks it against
 * the schema. Returns the canonical JSON text the task will read, or every problem with its path.
 */
export function checkJsonValue(
  raw: unknown,
  schema: Record<string, unknown> | null,
): { text: string } | { problems: JsonProblem[] } {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return { problems: [{ path: '', message: `is not JSON: ${(err as Error).message}` }] };
    }
  }
  const text = JSON.stringify(value);
  if (text === undefined) return { problems: [{ path: '', message: 'is not a JSON value' }] };
  if (text.length > MAX_JSON_LENGTH)
    return { problems: [{ path: '', message: `must be at most ${MAX_JSON_LENGTH} characters of JSON` }] };
  if (!schema) return { text };
  const validate = validatorFor(schema);
  if (validate(value)) return { text };
  return {
    problems: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? 'is invalid' })),
  };
}
