import { DomainError } from '../domain/domain-error.ts';

/** One django-smuggler row: `{ model: analytics_automated.task, pk: 74, fields: {…} }`. */
export interface AaRow {
  model: string;
  pk: string | null;
  fields: Record<string, unknown>;
}

/** A row the import did not turn into configuration, and why. */
export interface AaSkipped {
  model: string;
  pk: string | null;
  reason: string;
}

export interface AaWarning {
  model: string;
  pk: string | null;
  message: string;
}

/** The A_A models that are configuration; every other model is skipped and reported. */
export const CONFIG_MODELS = [
  'queuetype',
  'backend',
  'task',
  'parameter',
  'environment',
  'configuration',
  'job',
  'step',
  'validatortypes',
  'validator',
] as const;
export type ConfigModel = (typeof CONFIG_MODELS)[number];

const RUNTIME_MODELS = new Set(['submission', 'batch', 'result', 'message']);

function skipReason(model: string): string {
  const [app, name = ''] = model.split('.');
  if (app === 'auth') return 'users, groups and permissions are not imported; make API keys with "aa keys create"';
  if (app !== 'analytics_automated') return 'not part of the A_A configuration';
  if (RUNTIME_MODELS.has(name)) return 'runtime data, not configuration';
  if (name === 'backenduser') return 'A_A never used backend users; access is by API key here';
  return 'unknown A_A model';
}

/** Sorts a dump's rows by model; rows of other models, and malformed rows, are skipped. */
export function readAaRows(data: unknown): { rows: Map<ConfigModel, AaRow[]>; skipped: AaSkipped[] } {
  if (!Array.isArray(data)) {
    throw new DomainError('invalid_body', 'An A_A dump is a YAML list of {model, pk, fields} rows', [
      { path: '', message: 'expected a list' },
    ]);
  }
  const rows = new Map<ConfigModel, AaRow[]>(CONFIG_MODELS.map((m) => [m, []]));
  const skipped: AaSkipped[] = [];
  for (const item of data as unknown[]) {
    const row = item as { model?: unknown; pk?: unknown; fields?: unknown } | null;
    const model = typeof row?.model === 'string' ? row.model : '(none)';
    const pk = typeof row?.pk === 'number' || typeof row?.pk === 'string' ? String(row.pk) : null;
    if (
      !row ||
      typeof row !== 'object' ||
      typeof row.fields !== 'object' ||
      row.fields === null ||
      model === '(none)'
    ) {
      skipped.push({ model, pk, reason: 'not a {model, pk, fields} row' });
      continue;
    }
    const name = model.startsWith('analytics_automated.') ? model.slice('analytics_automated.'.length) : '';
    const list = rows.get(name as ConfigModel);
    if (!list) {
      skipped.push({ model, pk, reason: skipReason(model) });
    } else if (pk === null) {
      skipped.push({ model, pk, reason: 'has no pk, so nothing can refer to it' });
    } else {
      list.push({ model, pk, fields: row.fields as Record<string, unknown> });
    }
  }
  return { rows, skipped };
}
