import type { StepBinding, StepCondition, StepMap } from '../catalog/step-graph-schemas.ts';
import type { PlannedBinding, PlannedCondition, PlannedMap, PlannedStep } from '../domain/execution-plan.ts';
import type { ResolvedParameters } from '../domain/parameter-values.ts';
import { ancestorsOf, parentsOf, stepNames } from '../domain/step-graph.ts';
import type { StepGraphFields } from './job-definition-repository.ts';

type GraphPart = Required<Pick<PlannedStep, 'name' | 'parents' | 'ancestors'>> &
  Pick<PlannedStep, 'when' | 'onFailure' | 'inputs' | 'map'>;

const DEFAULT_MAX_PARALLEL = 4;

/**
 * The graph half of each planned step: names become indexes and parameter conditions carry the
 * submitted value, so the workflow decides from the plan and its parents' results alone.
 */
export function planStepGraph(
  steps: ({ ordering: number; task: { name: string } } & StepGraphFields)[],
  values: ResolvedParameters,
): GraphPart[] {
  const specs = steps.map((s) => ({ ...s, task: s.task.name }));
  const names = stepNames(specs);
  const parents = parentsOf(specs, names);
  const ancestors = ancestorsOf(parents);
  const indexOf = (name: string) => names.indexOf(name);
  return steps.map((step, i) => ({
    name: names[i]!,
    parents: parents[i]!,
    ancestors: ancestors[i]!,
    ...(step.when && { when: step.when.map((c) => planCondition(c, values, indexOf)) }),
    ...(step.onFailure && { onFailure: step.onFailure }),
    ...(step.inputs && { inputs: step.inputs.map((b) => planBinding(b, indexOf)) }),
    ...(step.map && { map: planMap(step.map, values, indexOf) }),
  }));
}

function planCondition(
  condition: StepCondition,
  values: ResolvedParameters,
  indexOf: (name: string) => number,
): PlannedCondition {
  if ('parameter' in condition) return { ...condition, value: values[condition.parameter] ?? null };
  return { ...condition, step: indexOf(condition.step) };
}

function planMap(map: StepMap, values: ResolvedParameters, indexOf: (name: string) => number): PlannedMap {
  const maxParallel = map.maxParallel ?? DEFAULT_MAX_PARALLEL;
  if ('parameter' in map) {
    const items = (values[map.parameter] ?? '').split(/[,\n]/).map((v) => v.trim());
    return { over: 'values', source: { values: items.filter((v) => v !== '') }, maxParallel };
  }
  const [over, source] = 'lines' in map ? (['lines', map.lines] as const) : (['files', map.files] as const);
  return { over, source: planSource(source, indexOf), maxParallel };
}

function planSource(source: string, indexOf: (name: string) => number): PlannedBinding['from'][number] {
  if (source === 'upload') return { upload: true };
  const slash = source.indexOf('/');
  return { step: indexOf(source.slice(0, slash)), glob: source.slice(slash + 1) };
}

function planBinding(binding: StepBinding, indexOf: (name: string) => number): PlannedBinding {
  const sources = typeof binding.from === 'string' ? [binding.from] : binding.from;
  return {
    from: sources.map((source) => planSource(source, indexOf)),
    ...(binding.as && { as: binding.as }),
  };
}
