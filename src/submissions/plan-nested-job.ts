import type { PlannedCondition, PlannedStep } from '../domain/execution-plan.ts';
import { itemRunIndex } from '../domain/map-items.ts';

/**
 * The steps of a job run by step `outer`, renumbered into the outer step's own range of indexes so
 * that their runs and files never collide with the outer job's. They also read what the outer
 * step's ancestors made, as the outer step itself would have.
 */
export function nestInto(outer: PlannedStep, inner: PlannedStep[]): PlannedStep[] {
  const at = (j: number) => itemRunIndex(outer.index, j);
  return inner.map((step) => ({
    ...step,
    index: at(step.index),
    stage: outer.stage,
    parents: (step.parents ?? []).map(at),
    ancestors: [...(outer.ancestors ?? []), ...(step.ancestors ?? []).map(at)],
    ...(step.when && { when: step.when.map((c): PlannedCondition => ('step' in c ? { ...c, step: at(c.step) } : c)) }),
    ...(step.inputs && {
      inputs: step.inputs.map((b) => ({
        ...b,
        from: b.from.map((f) => ('step' in f ? { ...f, step: at(f.step) } : f)),
      })),
    }),
  }));
}
