import type { ExitPolicy } from '../catalog/field-schemas.ts';
import { checkTaskRules } from '../catalog/task-rules.ts';
import { TaskEntry } from '../catalog/task-schemas.ts';
import type { AaRow } from './aa-dump-rows.ts';
import { newAliasNames } from './aa-names.ts';

// A_A's Task.*_behaviour choices; there is no 2.
const POLICIES: Record<number, ExitPolicy> = { 0: 'continue', 1: 'terminate', 3: 'fail' };
const CONFIGURATION_TYPES = ['Software', 'Dataset', 'Misc.'] as const;
// A_A's R and Python execution behaviours ran the executable text as code: here it is a script task's script.
const INTERPRETERS: Record<string, string> = { R: 'Rscript', Python: 'python3' };

export interface TaskMappingContext {
  name: string;
  backend: string;
  /** 'R' or 'Python' when A_A ran this backend's executables as code rather than commands. */
  codeLanguage: string | null;
  parameters: AaRow[];
  environment: AaRow[];
  configurations: AaRow[];
  warn: (row: AaRow, message: string) => void;
  skip: (row: AaRow, reason: string) => void;
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** `.nndiso, .dnb,.diso` → ['.nndiso', '.dnb', '.diso']: A_A removed all whitespace, then split. */
function endings(glob: unknown): string[] {
  return text(glob).replace(/\s+/g, '').split(',').filter(Boolean);
}

function policy(row: AaRow, field: string, ctx: TaskMappingContext): ExitPolicy {
  const value = row.fields[field];
  if (value === null || value === undefined) return 'fail';
  const mapped = POLICIES[Number(value)];
  if (!mapped) ctx.warn(row, `${field} ${String(value)} is not an A_A choice (0, 1, 3); using fail`);
  return mapped ?? 'fail';
}

function exitCodes(row: AaRow, ctx: TaskMappingContext): number[] {
  const codes: number[] = [];
  for (const piece of text(row.fields.custom_exit_status)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const code = Number(piece);
    if (!Number.isInteger(code) || code < 1 || code > 255) {
      ctx.warn(row, `custom exit status "${piece}" dropped: a process exit code is 1-255`);
    } else if (!codes.includes(code)) {
      codes.push(code);
    }
  }
  return codes;
}

function executable(row: AaRow, ctx: TaskMappingContext): string {
  let command = text(row.fields.executable);
  if (/\$(INPUT|OUTPUT)\b/.test(command)) {
    command = command.replace(/\$INPUT\b/g, () => '$I1').replace(/\$OUTPUT\b/g, () => '$O1');
    ctx.warn(row, 'old $INPUT/$OUTPUT placeholders rewritten as $I1/$O1');
  }
  if (ctx.codeLanguage) {
    ctx.warn(
      row,
      `A_A ran this executable as ${ctx.codeLanguage} code; it is imported as a script task run by ${INTERPRETERS[ctx.codeLanguage]}, where inputs, outputs and parameters are the variables AA_INPUT_1, AA_OUTPUT_1, AA_PARAM_<alias> (and the JSON file AA_PARAMS), so code using A_A's names needs adapting`,
    );
  } else if (/[|<>;&`]|\$\(/.test(command)) {
    ctx.warn(
      row,
      'the executable uses shell syntax; commands run without a shell here, so it reaches the program as plain arguments',
    );
  }
  if (/\$TMP\b/.test(command)) ctx.warn(row, "$TMP is the step's own work dir here, not the backend root as in A_A");
  return command;
}

const byPk = (a: AaRow, b: AaRow) => Number(a.pk) - Number(b.pk) || (a.pk! < b.pk! ? -1 : a.pk! > b.pk! ? 1 : 0);

/** A_A numbered $P1.. over the parameters in id order without the VALUE ones, so those go last. */
function parameters(original: string, ctx: TaskMappingContext) {
  const rows = [...ctx.parameters].sort(byPk);
  const ordered = [
    ...rows.filter((r) => !text(r.fields.flag).includes('VALUE')),
    ...rows.filter((r) => text(r.fields.flag).includes('VALUE')),
  ];
  const aliases = newAliasNames();
  return ordered.map((row) => {
    const f = row.fields;
    const restAlias = text(f.rest_alias);
    const prefix = `${original}_`;
    if (!restAlias.startsWith(prefix))
      ctx.warn(row, `rest_alias "${restAlias}" lacks the "${prefix}" prefix; kept whole`);
    const { name, renamed } = aliases.take(restAlias.startsWith(prefix) ? restAlias.slice(prefix.length) : restAlias);
    if (renamed) ctx.warn(row, `alias "${restAlias}" is now "${name}"`);
    const isSwitch = f.bool_valued === true;
    const given = f.default === null || f.default === undefined ? null : String(f.default);
    return {
      alias: name,
      flag: text(f.flag),
      type: isSwitch ? 'switch' : 'string',
      // A_A turned a switch off only for FALSE/False.
      default: isSwitch && given !== null ? String(!/^false$/i.test(given)) : given,
      required: !isSwitch && given === null,
      spacing: f.spacing !== false,
      switchless: f.switchless === true,
      choices: null,
      allowLeadingDash: false,
    };
  });
}

function environment(ctx: TaskMappingContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const row of ctx.environment) {
    const name = text(row.fields.env);
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) ctx.skip(row, `"${name}" is not an environment variable name`);
    else env[name] = text(row.fields.value);
  }
  return env;
}

function configuration(ctx: TaskMappingContext) {
  return [...ctx.configurations].sort(byPk).flatMap((row) => {
    const type = CONFIGURATION_TYPES[Number(row.fields.type ?? 0)];
    if (!type || !text(row.fields.name)) {
      ctx.skip(row, 'a configuration entry needs a type 0-2 and a name');
      return [];
    }
    return [
      { type, name: text(row.fields.name), version: text(row.fields.version), parameters: text(row.fields.parameters) },
    ];
  });
}

function codeOrCommand(command: string, ctx: TaskMappingContext) {
  const interpreter = ctx.codeLanguage ? INTERPRETERS[ctx.codeLanguage] : undefined;
  if (!interpreter) return { kind: 'command' as const, executable: command };
  return { kind: 'script' as const, executable: '', interpreter, script: command };
}

/** One A_A Task with its Parameters, Environments and Configurations, or the reasons it cannot be one. */
export function mapAaTask(row: AaRow, ctx: TaskMappingContext): { entry: TaskEntry } | { problems: string[] } {
  const candidate = {
    name: ctx.name,
    backend: ctx.backend,
    description: text(row.fields.description),
    ...codeOrCommand(executable(row, ctx), ctx),
    inputs: endings(row.fields.in_glob),
    outputs: endings(row.fields.out_glob),
    stdout: row.fields.stdout_glob ? `.${text(row.fields.stdout_glob).trim().replace(/^\.+/, '')}` : null,
    environment: environment(ctx),
    parameters: parameters(text(row.fields.name), ctx),
    customExitCodes: exitCodes(row, ctx),
    customExitBehaviour: policy(row, 'custom_exit_behaviour', ctx),
    incompleteOutputs: policy(row, 'incomplete_outputs_behaviour', ctx),
    configuration: configuration(ctx),
  };
  const parsed = TaskEntry.safeParse(candidate);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const broken = checkTaskRules(parsed.data);
  if (broken.length) return { problems: broken.map((v) => `${v.path}: ${v.message}`) };
  return { entry: parsed.data };
}
