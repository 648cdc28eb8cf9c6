// Temporal checks a cron string only when the Schedule is created; this check names the bad one first,
// so a refused schedule leaves nothing behind. Temporal reads 5 fields as minute, hour, day of month,
// month, day of week; 6 adds the year; 7 puts the second first too. Also @-shorthands.
const SHORTHANDS = /^@(yearly|annually|monthly|weekly|daily|hourly)$|^@every \d+[smhd]$/;
const NAMES = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);
const DAY_NAMES = new Set(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

interface FieldRange {
  name: string;
  min: number;
  max: number;
}
const SECOND: FieldRange = { name: 'second', min: 0, max: 59 };
const FIVE_FIELDS: FieldRange[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];
const YEAR: FieldRange = { name: 'year', min: 1970, max: 2999 };

/** Why a cron string is not one Temporal runs, or null when it is. */
export function cronProblem(expression: string): string | null {
  const text = expression.trim().replace(/^CRON_TZ=\S+\s+/, '');
  if (text.startsWith('@')) return SHORTHANDS.test(text) ? null : `unknown shorthand "${text}"`;
  const fields = text.split(/\s+/);
  if (fields.length < 5 || fields.length > 7) return `has ${fields.length} fields; a cron string has 5, 6 or 7`;
  const ranges = [...(fields.length === 7 ? [SECOND] : []), ...FIVE_FIELDS, ...(fields.length > 5 ? [YEAR] : [])];
  for (const [i, field] of fields.entries()) {
    const problem = fieldProblem(field, ranges[i]!);
    if (problem) return problem;
  }
  return null;
}

function fieldProblem(field: string, range: FieldRange): string | null {
  for (const part of field.split(',')) {
    const [span, step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step)))
      return `bad step in ${range.name} "${field}"`;
    if (span === '*' || span === '?') continue;
    for (const value of span!.split('-')) {
      const lower = value.toLowerCase();
      if (NAMES.has(lower) || DAY_NAMES.has(lower)) continue;
      if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
        return `${range.name} "${value}" is not in ${range.min}-${range.max}`;
      }
    }
  }
  return null;
}
