import type { ParameterType } from '../db/task-parameters.table.ts';
import type { PlannedScript } from '../domain/execution-plan.ts';

const EXTENSIONS: [RegExp, string][] = [
  [/^python/, '.py'],
  [/^(Rscript|R)$/, '.R'],
  [/^(bash|sh|dash|zsh|ksh)$/, '.sh'],
  [/^(node|nodejs)$/, '.js'],
  [/^perl/, '.pl'],
  [/^ruby/, '.rb'],
];

/** The script's file name in the work dir, with the ending its interpreter expects where it cares. */
export function scriptFileName(interpreter: string): string {
  const base = interpreter.split('/').pop() ?? interpreter;
  return `aa-script${EXTENSIONS.find(([pattern]) => pattern.test(base))?.[1] ?? ''}`;
}

/** A resolved value as JSON data of its declared type: numbers as numbers, switches as booleans. */
function typedValue(type: ParameterType, value: string | null): string | number | boolean | null {
  if (value === null) return null;
  if (type === 'switch') return value === 'true';
  if (type === 'integer' || type === 'number') return Number(value);
  return value;
}

/** A script task's frozen part of the plan: its argv and the script by hash, with its parameters as data. */
export function planScript(
  task: { interpreter: string; scriptSha256: string },
  parameters: { alias: string; type: ParameterType; value: string | null }[],
): { argv: string[]; script: PlannedScript } {
  const fileName = scriptFileName(task.interpreter);
  return {
    argv: [task.interpreter, fileName],
    script: {
      interpreter: task.interpreter,
      sha256: task.scriptSha256,
      fileName,
      parameters: Object.fromEntries(parameters.map((p) => [p.alias, typedValue(p.type, p.value)])),
    },
  };
}
