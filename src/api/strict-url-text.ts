import { textProblem, type TextProblemAt } from '../domain/well-formed-text.ts';

/**
 * Percent-decodes strictly: a malformed escape or bytes that are not UTF-8 are refused, where
 * `decodeURI`-style fallbacks and URLSearchParams would pass them on or turn them into U+FFFD.
 */
function decodeStrict(raw: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
  } catch {
    return null;
  }
}

function check(raw: string, plusIsSpace: boolean, path: string): { value: string } | TextProblemAt {
  const value = decodeStrict(raw, plusIsSpace);
  if (value === null) return { path, message: 'is not valid percent-encoded UTF-8' };
  const message = textProblem(value);
  return message ? { path, message } : { value };
}

/** The first malformed segment of a request path, named `path`. */
export function urlPathProblem(rawPath: string): TextProblemAt | null {
  const result = check(rawPath, false, 'path');
  return 'message' in result ? result : null;
}

export type FormParse = { fields: Record<string, string> } | { problem: TextProblemAt };

/**
 * A query string or form-urlencoded body as fields (the last value of a repeated name wins, as
 * Object.fromEntries(URLSearchParams) did), or the first malformed name or value, named
 * `query.<name>` (or `<name>` for a form).
 */
export function parseFormStrict(text: string, prefix = ''): FormParse {
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at === -1 ? pair : pair.slice(0, at);
    const name = check(rawName, true, `${prefix}${rawName}`);
    if ('message' in name) return { problem: { ...name, message: `name ${name.message}` } };
    const value = check(at === -1 ? '' : pair.slice(at + 1), true, `${prefix}${name.value}`);
    if ('message' in value) return { problem: value };
    fields[name.value] = value.value;
  }
  return { fields };
}
