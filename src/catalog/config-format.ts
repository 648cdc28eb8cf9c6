import { parseDocument, stringify, YAMLError } from 'yaml';
import { AppError } from '../api/app-error.ts';
import { invalidText } from '../api/invalid-text-error.ts';
import { findTextProblem } from '../domain/well-formed-text.ts';

/** Far deeper than any configuration; deeper flow nesting is refused before the parser recurses on it. */
const MAX_BRACKET_DEPTH = 64;

/** Stable text: no folded lines, no anchors for repeated values, so export → import → export is byte-identical. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

function deepestBracket(text: string): { depth: number; line: number } {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    else if (ch === 91 || ch === 123) {
      if (++depth > MAX_BRACKET_DEPTH) return { depth, line };
    } else if ((ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return { depth, line };
}

function refuseDeepNesting(text: string, code: 'invalid_yaml' | 'bad_request'): void {
  const { depth, line } = deepestBracket(text);
  if (depth > MAX_BRACKET_DEPTH) {
    throw new AppError(400, code, `Nested deeper than ${MAX_BRACKET_DEPTH} levels at line ${line}`, { line });
  }
}

/** YAML text to plain data; malformed YAML is a 400 invalid_yaml naming the line and column. */
export function parseYaml(text: string): unknown {
  refuseDeepNesting(text, 'invalid_yaml');
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    const reason = error.message.split(/ at line \d+/)[0];
    throw new AppError(400, 'invalid_yaml', `Malformed YAML${where}: ${reason}`, {
      line: position?.line ?? null,
      column: position?.col ?? null,
      reason: error.code,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = err instanceof YAMLError || err instanceof Error ? err.message : String(err);
    throw new AppError(400, 'invalid_yaml', `Unusable YAML: ${message}`);
  }
}

export function parseJson(text: string): unknown {
  refuseDeepNesting(text, 'bad_request');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, 'bad_request', `Malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];

/**
 * A configuration body by its Content-Type: JSON, or YAML (also when no type is given). Every key
 * and string in it must be storable text, including rows an A_A dump import would skip.
 */
export function parseConfigBody(text: string, contentType: string | undefined): unknown {
  const doc = parseByType(text, contentType);
  const problem = findTextProblem(doc);
  if (problem) throw invalidText(problem);
  return doc;
}

function parseByType(text: string, contentType: string | undefined): unknown {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return parseJson(text);
  if (type === '' || YAML_TYPES.includes(type)) return parseYaml(text);
  throw new AppError(
    415,
    'unsupported_media_type',
    `Send YAML (application/yaml) or JSON (application/json), not ${type}`,
  );
}
