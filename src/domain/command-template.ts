// Builds a step's argv from an A_A executable template, with no shell anywhere (docs/design.md
// "Command templates"). Pure: no I/O, so the API freezes argv into the plan at submission time.

export class TemplateError extends Error {}

/** Splits a template into tokens the way a POSIX shell would, but only for quoting: nothing expands. */
export function tokenize(template: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) current += template[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < template.length) {
      current += template[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) throw new TemplateError(`unclosed ${quote} quote in the executable`);
  if (inToken) tokens.push(current);
  return tokens;
}

/** A parameter as the template sees it: `$Pn` expands to its argv pieces. */
export interface TemplateParameter {
  flag: string;
  isSwitch: boolean;
  /** For a switch: 'true' or 'false'. Null when the parameter has no value (optional, not given). */
  value: string | null;
  spacing: boolean;
  switchless: boolean;
}

export interface TemplateValues {
  parameters: TemplateParameter[];
  inputNames: string[];
  outputNames: string[];
  value: string;
  id: string;
}

/** Marks where the work dir goes; the worker knows it only when the step runs. NUL never occurs in argv. */
export const TMP_MARKER = '\u0000TMP\u0000';

const PLACEHOLDER = /\$(?:P(\d+)|I(\d+)|O(\d+)|(VALUE)|(ID)|(TMP))/g;

/** The argv pieces of one parameter: [flag, value], [flagvalue], [value], [flag] or [] (off/absent). */
export function parameterPieces(p: TemplateParameter): string[] {
  if (p.isSwitch) return p.value === 'true' && p.flag ? [p.flag] : [];
  if (p.value === null) return [];
  if (p.switchless || !p.flag) return [p.value];
  return p.spacing ? [p.flag, p.value] : [p.flag + p.value];
}

function lookup(values: TemplateValues, match: RegExpExecArray | RegExpMatchArray): string[] {
  const [, p, i, o, value, id, tmp] = match;
  const pick = (list: string[], n: string, kind: string) => {
    const item = list[Number(n) - 1];
    if (item === undefined) throw new TemplateError(`$${kind}${n} refers to nothing: the task has ${list.length}`);
    return item;
  };
  if (p) {
    const param = values.parameters[Number(p) - 1];
    if (!param)
      throw new TemplateError(`$P${p} refers to nothing: the task has ${values.parameters.length} parameters`);
    return parameterPieces(param);
  }
  if (i) return [pick(values.inputNames, i, 'I')];
  if (o) return [pick(values.outputNames, o, 'O')];
  if (value) return [values.value];
  if (id) return [values.id];
  if (tmp) return [TMP_MARKER];
  return [];
}

/**
 * Expands placeholders inside each token in one pass, so a value is never expanded again.
 * A token that is exactly `$Pn` becomes that parameter's pieces (maybe two argv elements or none);
 * inside a longer token the pieces are joined by a space. Tokens left empty are dropped.
 */
export function buildArgv(template: string, values: TemplateValues): string[] {
  const argv: string[] = [];
  for (const token of tokenize(template)) {
    const whole = token.match(new RegExp(`^${PLACEHOLDER.source}$`));
    if (whole) {
      argv.push(...lookup(values, whole).filter((piece) => piece !== ''));
      continue;
    }
    const expanded = token.replace(PLACEHOLDER, (...m) => lookup(values, m as unknown as RegExpMatchArray).join(' '));
    if (expanded !== '') argv.push(expanded);
  }
  if (argv.length === 0) throw new TemplateError('the executable is empty');
  return argv;
}
