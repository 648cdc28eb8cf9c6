import type { StepBinding, StepCondition } from '../catalog/step-graph-schemas.ts';
import type { PlannedBinding, PlannedCondition, PlannedStep } from '../domain/execution-plan.ts';
import type { ResolvedParameters } from '../domain/parameter-values.ts';
import { ancestorsOf, parentsOf, stepNames } from '../domain/step-graph.ts';
import type { StepGraphFields } from './job-definition-repository.ts';

type GraphPart = Required<Pick<PlannedStep, 'name' | 'parents' | 'ancestors'>> &
  Pick<PlannedStep, 'when' | 'onFailure' | 'inputs'>;

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

function planBinding(binding: StepBinding, indexOf: (name: string) => number): PlannedBinding {
  const sources = typeof binding.from === 'string' ? [binding.from] : binding.from;
  return {
    from: sources.map((source) => {
      if (source === 'upload') return { upload: true as const };
      const slash = source.indexOf('/');
      return { step: indexOf(source.slice(0, slash)), glob: source.slice(slash + 1) };
    }),
    ...(binding.as && { as: binding.as }),
  };
}
