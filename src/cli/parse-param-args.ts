import { UsageError } from './command-errors.ts';

/** `--param k=v` (repeatable) as form fields; the value may itself contain `=`. */
export function parseParamArgs(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param "${pair}" is not key=value`);
    const key = pair.slice(0, at);
    if (key in fields) throw new UsageError(`--param ${key} is given twice`);
    fields[key] = pair.slice(at + 1);
  }
  return fields;
}
