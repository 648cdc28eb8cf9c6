import type { ParameterType } from '../db/task-parameters.table.ts';
import { checkJsonValue } from './json-parameter.ts';

export interface ParameterSpec {
  taskName: string;
  alias: string;
  flag: string;
  type: ParameterType;
  defaultValue: string | null;
  required: boolean;
  choices: string[] | null;
  allowLeadingDash: boolean;
  /** For type json: the JSON Schema its value must satisfy (null or absent: any JSON). */
  jsonSchema?: Record<string, unknown> | null;
}

export interface ParameterProblem {
  field: string;
  message: string;
  /** For a json parameter: the JSON Pointer of the failing part of its value. */
  path?: string;
}

/** Submitted values, keyed `<task>_<alias>` as A_A clients send them. */
export type SubmittedParameters = Record<string, unknown>;

/** Resolved values, keyed `<task>_<alias>`; null means optional and not given. */
export type ResolvedParameters = Record<string, string | null>;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);
const MAX_VALUE_LENGTH = 4096;

export function fieldName(spec: Pick<ParameterSpec, 'taskName' | 'alias'>): string {
  return `${spec.taskName}_${spec.alias}`;
}

/**
 * Checks submitted values against the declared types, choices and required flags and applies
 * defaults. Every problem is reported, each naming its field.
 */
export function resolveParameters(
  specs: ParameterSpec[],
  submitted: SubmittedParameters,
  options: { rejectUnknown: boolean },
): { values: ResolvedParameters; problems: ParameterProblem[] } {
  const values: ResolvedParameters = {};
  const problems: ParameterProblem[] = [];
  const known = new Set(specs.map(fieldName));
  if (options.rejectUnknown) {
    for (const field of Object.keys(submitted)) {
      if (!known.has(field))
        problems.push({ field, message: `unknown parameter; expected one of: ${[...known].join(', ') || 'none'}` });
    }
  }
  for (const spec of specs) {
    const field = fieldName(spec);
    const raw = submitted[field];
    const given = raw !== undefined && raw !== null;
    if (!given && spec.defaultValue === null) {
      if (spec.required) problems.push({ field, message: 'is required' });
      values[field] = spec.type === 'switch' ? 'false' : null;
      continue;
    }
    if (spec.type === 'json') {
      const checked = checkJsonValue(given ? raw : spec.defaultValue, spec.jsonSchema ?? null);
      if ('text' in checked) values[field] = checked.text;
      else
        problems.push(
          ...checked.problems.map((p) => ({ field, path: p.path, message: `${p.path || '(value)'} ${p.message}` })),
        );
      continue;
    }
    const text = given ? String(raw) : spec.defaultValue!;
    const checked = checkValue(spec, text);
    if (typeof checked === 'object') problems.push({ field, message: checked.problem });
    else values[field] = checked;
  }
  return { values, problems };
}

function checkValue(spec: ParameterSpec, text: string): string | { problem: string } {
  if (text.includes('\u0000')) return { problem: 'must not contain NUL characters' };
  if (text.length > MAX_VALUE_LENGTH) return { problem: `must be at most ${MAX_VALUE_LENGTH} characters` };
  switch (spec.type) {
    case 'switch': {
      const lower = text.trim().toLowerCase();
      if (TRUE.has(lower)) return 'true';
      if (FALSE.has(lower)) return 'false';
      return { problem: `must be true or false, got "${text}"` };
    }
    case 'integer':
      if (!/^[+-]?\d{1,15}$/.test(text.trim())) return { problem: `must be an integer, got "${text}"` };
      return leadingDash(spec, String(Number(text.trim())));
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) return { problem: `must be a number, got "${text}"` };
      return leadingDash(spec, text.trim());
    }
    case 'choice':
      if (!spec.choices?.includes(text)) return { problem: `must be one of: ${(spec.choices ?? []).join(', ')}` };
      return text;
    case 'string':
      return leadingDash(spec, text);
    case 'json':
      return { problem: 'is checked as JSON' };
  }
}

// A value starting with "-" could be read by the program as an option of its own.
function leadingDash(spec: ParameterSpec, text: string): string | { problem: string } {
  if (text.startsWith('-') && !spec.allowLeadingDash) {
    return { problem: 'must not start with "-" (the task does not allow it)' };
  }
  return text;
}
