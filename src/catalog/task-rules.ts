import { createHash } from 'node:crypto';
import { checkJsonValue, schemaProblem } from '../domain/json-parameter.ts';
import type { TaskEntry } from './task-schemas.ts';
import type { RuleViolation } from './rule-violation.ts';

type TaskFields = Omit<TaskEntry, 'name'>;

const INTEGER = /^[+-]?\d+$/;

function checkParameters(task: TaskFields, out: RuleViolation[]): void {
  const seen = new Map<string, number>();
  task.parameters.forEach((p, i) => {
    const at = `parameters.${i}`;
    const earlier = seen.get(p.alias);
    if (earlier !== undefined)
      out.push({ path: `${at}.alias`, message: `duplicate alias "${p.alias}" (also parameters.${earlier})` });
    seen.set(p.alias, i);
    if (p.type === 'choice' && !p.choices)
      out.push({ path: `${at}.choices`, message: 'a choice parameter needs choices' });
    if (p.type !== 'choice' && p.choices)
      out.push({ path: `${at}.choices`, message: 'choices apply only to type choice' });
    if (p.schema && p.type !== 'json')
      out.push({ path: `${at}.schema`, message: 'a schema applies only to type json' });
    const badSchema = p.schema ? schemaProblem(p.schema) : null;
    if (badSchema) out.push({ path: `${at}.schema`, message: `not a usable JSON Schema: ${badSchema}` });
    if (p.default === null) return;
    if (p.type === 'json') {
      const checked = badSchema ? { text: '' } : checkJsonValue(p.default, p.schema ?? null);
      if ('problems' in checked)
        out.push({ path: `${at}.default`, message: `does not fit the schema: ${checked.problems[0]!.message}` });
      return;
    }
    const fits =
      p.type === 'switch'
        ? p.default === 'true' || p.default === 'false'
        : p.type === 'integer'
          ? INTEGER.test(p.default)
          : p.type === 'number'
            ? p.default.trim() !== '' && Number.isFinite(Number(p.default))
            : p.type === 'choice'
              ? (p.choices ?? []).includes(p.default)
              : true;
    if (!fits) out.push({ path: `${at}.default`, message: `"${p.default}" is not a valid ${p.type} value` });
  });
}

function checkPlaceholders(task: TaskFields, out: RuleViolation[]): void {
  const ranges = {
    P: ['parameter', task.parameters.length],
    I: ['input ending', task.inputs.length],
    O: ['output ending', task.outputs.length],
  } as const;
  for (const match of task.executable.matchAll(/\$([PIO])(\d+)/g)) {
    const [label, count] = ranges[match[1] as 'P' | 'I' | 'O'];
    const n = Number(match[2]);
    if (n < 1 || n > count)
      out.push({ path: 'executable', message: `${match[0]} refers to ${label} ${n}, but the task has ${count}` });
  }
  for (const old of task.executable.match(/\$(INPUT|OUTPUT)\b/g) ?? []) {
    out.push({ path: 'executable', message: `${old} is A_A's old syntax; use ${old === '$INPUT' ? '$I1' : '$O1'}` });
  }
  if (/\$VALUE\b/.test(task.executable) && !task.parameters.some((p) => p.flag.includes('VALUE'))) {
    out.push({ path: 'executable', message: '$VALUE needs a parameter whose flag contains "VALUE"' });
  }
}

export const scriptSha256 = (script: string) => createHash('sha256').update(script).digest('hex');

/** A command task has an executable and no script; a script task the reverse. */
function checkKind(task: TaskFields, out: RuleViolation[]): void {
  if (task.kind === 'command') {
    if (!/\S/.test(task.executable)) out.push({ path: 'executable', message: 'must not be blank' });
    if (task.interpreter !== null) out.push({ path: 'interpreter', message: 'applies only to kind script' });
    if (task.script !== null) out.push({ path: 'script', message: 'applies only to kind script' });
    return;
  }
  if (task.executable !== '') {
    out.push({ path: 'executable', message: 'a script task runs [interpreter, script file]; leave it empty' });
  }
  if (task.interpreter === null) out.push({ path: 'interpreter', message: 'a script task needs an interpreter' });
  if (task.script === null) out.push({ path: 'script', message: 'a script task needs a script' });
  if (task.script !== null && task.scriptSha256 !== null && task.scriptSha256 !== scriptSha256(task.script)) {
    out.push({ path: 'scriptSha256', message: 'does not match the script' });
  }
}

/** The rules zod cannot see on its own: unique aliases, defaults that fit, placeholders that exist. */
export function checkTaskRules(task: TaskFields): RuleViolation[] {
  const out: RuleViolation[] = [];
  checkKind(task, out);
  checkParameters(task, out);
  if (task.kind === 'command') checkPlaceholders(task, out);
  task.customExitCodes.forEach((code, i) => {
    if (task.customExitCodes.indexOf(code) !== i)
      out.push({ path: `customExitCodes.${i}`, message: `duplicate exit code ${code}` });
  });
  const { maximumIntervalSeconds, initialIntervalSeconds } = task.retry;
  if (maximumIntervalSeconds !== null && maximumIntervalSeconds < initialIntervalSeconds) {
    out.push({ path: 'retry.maximumIntervalSeconds', message: 'must not be shorter than initialIntervalSeconds' });
  }
  return out;
}
