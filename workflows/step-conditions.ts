import type { PlannedCondition, ProducedSummary, StepStatusSeen } from '../src/domain/execution-plan.ts';
import { globMatch } from '../src/domain/glob-match.ts';

/** How a parent step ended, as far as conditions can see. */
export interface SettledStep {
  name: string;
  status: StepStatusSeen | 'crash';
  exitCode: number | null;
  produced?: ProducedSummary | undefined;
}

/**
 * Undefined when every condition holds; else why the step is skipped, naming the first that does
 * not. Declarative only: each kind is a comparison, nothing from the config is ever evaluated.
 */
export function unmetCondition(
  conditions: PlannedCondition[],
  settled: (index: number) => SettledStep,
): string | undefined {
  for (const condition of conditions) {
    const reason = check(condition, settled);
    if (reason) return reason;
  }
  return undefined;
}

function check(c: PlannedCondition, settled: (index: number) => SettledStep): string | undefined {
  if ('parameter' in c) {
    return c.value === c.equals ? undefined : `parameter ${c.parameter} is ${show(c.value)}, not ${show(c.equals)}`;
  }
  const parent = settled(c.step);
  if ('status' in c) {
    return (c.status as string[]).includes(parent.status)
      ? undefined
      : `${parent.name} ended ${parent.status}, not ${c.status.join(' or ')}`;
  }
  if ('exitCode' in c) {
    return parent.exitCode !== null && c.exitCode.includes(parent.exitCode)
      ? undefined
      : `${parent.name} exited with ${parent.exitCode ?? 'no code'}, not ${c.exitCode.join(' or ')}`;
  }
  if ('file' in c) {
    const files = parent.produced?.files ?? [];
    const hit = files.some((f) => globMatch(c.file, f.name) && f.size >= (c.minBytes ?? 0));
    const size = c.minBytes ? ` of at least ${c.minBytes} bytes` : '';
    return hit ? undefined : `${parent.name} produced no file matching ${c.file}${size}`;
  }
  const value = fieldOf(parent.produced?.values, c.field);
  if (c.equals !== undefined && value !== c.equals) {
    return `${parent.name}'s ${c.field} is ${show(value)}, not ${show(c.equals)}`;
  }
  if (c.above !== undefined && !(typeof value === 'number' && value > c.above)) {
    return `${parent.name}'s ${c.field} is ${show(value)}, not above ${c.above}`;
  }
  return undefined;
}

/** `a.b` reaches into objects; a missing field is undefined. */
function fieldOf(values: Record<string, unknown> | undefined, field: string): unknown {
  let at: unknown = values;
  for (const key of field.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const show = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value));
