import { globMatch } from '../domain/glob-match.ts';
import { findCycle, parentsOf, stepNames } from '../domain/step-graph.ts';
import type { Step } from './job-schemas.ts';
import type { RuleViolation } from './rule-violation.ts';

/** What the checks need to know of each task a job uses. */
export interface TaskFacts {
  inputs: string[];
  outputs: string[];
  /** Its parameters as a submission names them: <task>_<alias>. */
  parameterFields: string[];
}

/** Steps in stage order with the index each had in the body, for paths that name what the admin wrote. */
export function inStageOrder(steps: Step[]): { step: Step; at: number }[] {
  return steps.map((step, at) => ({ step, at })).sort((a, b) => a.step.ordering - b.step.ordering || a.at - b.at);
}

/**
 * The graph rules of a job, each broken one at its field path: names unique, every name in
 * after/when/inputs known, no cycle, conditions only on the job's parameters, inputs only from
 * steps upstream and only into input names the task has.
 */
export function checkJobGraph(steps: Step[], tasks: Map<string, TaskFacts>): RuleViolation[] {
  const ordered = inStageOrder(steps);
  const names = stepNames(ordered.map((o) => o.step));
  const nameAt = new Map(ordered.map((o, i) => [o.at, names[i]!]));
  const known = new Set(names);
  const out: RuleViolation[] = [];
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    if (!step.name) return;
    if (seen.has(step.name)) out.push({ path: `steps.${i}.name`, message: `duplicate step name "${step.name}"` });
    seen.add(step.name);
  });
  const unknown = (path: string, name: string) =>
    out.push({ path, message: `no step named "${name}" in this job; steps: ${names.join(', ')}` });
  const parameters = new Set([...tasks.values()].flatMap((t) => t.parameterFields));
  steps.forEach((step, i) => {
    if (step.map && 'parameter' in step.map && !parameters.has(step.map.parameter)) {
      out.push({ path: `steps.${i}.map.parameter`, message: `no parameter "${step.map.parameter}" in this job` });
    }
    step.after?.forEach((name, j) => {
      if (!known.has(name)) unknown(`steps.${i}.after.${j}`, name);
      else if (name === nameAt.get(i))
        out.push({ path: `steps.${i}.after.${j}`, message: 'a step cannot wait for itself' });
    });
    step.when?.forEach((condition, j) => {
      if ('step' in condition && !known.has(condition.step)) unknown(`steps.${i}.when.${j}.step`, condition.step);
      if ('parameter' in condition && !parameters.has(condition.parameter)) {
        out.push({
          path: `steps.${i}.when.${j}.parameter`,
          message: `no parameter "${condition.parameter}" in this job; parameters: ${[...parameters].join(', ') || 'none'}`,
        });
      }
    });
  });
  if (out.length) return out;
  const parents = parentsOf(
    ordered.map((o) => o.step),
    names,
  );
  const cycle = findCycle(parents);
  if (cycle) {
    const first = ordered[cycle[0]!]!.at;
    return [{ path: `steps.${first}.after`, message: `cycle: ${cycle.map((i) => names[i]).join(' → ')}` }];
  }
  return [...out, ...checkUpstreamReferences(steps, ordered, names, parents, tasks)];
}

/** A condition or an input may only look at steps that will have ended when the step starts: its ancestors. */
function checkUpstreamReferences(
  steps: Step[],
  ordered: { step: Step; at: number }[],
  names: string[],
  parents: number[][],
  tasks: Map<string, TaskFacts>,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const position = new Map(ordered.map((o, i) => [o.at, i]));
  const upstream = (i: number): Set<string> => {
    const all = new Set<string>();
    const walk = (k: number) => parents[k]!.forEach((p) => all.has(names[p]!) || (all.add(names[p]!), walk(p)));
    walk(position.get(i)!);
    return all;
  };
  steps.forEach((step, i) => {
    const above = upstream(i);
    step.when?.forEach((condition, j) => {
      if ('step' in condition && !above.has(condition.step)) {
        out.push({
          path: `steps.${i}.when.${j}.step`,
          message: `"${condition.step}" is not upstream of this step, so it may not have ended when this one starts`,
        });
      }
    });
    step.inputs?.forEach((binding, j) => {
      const sources = typeof binding.from === 'string' ? [binding.from] : binding.from;
      sources.forEach((source, k) => {
        const at =
          typeof binding.from === 'string' ? `steps.${i}.inputs.${j}.from` : `steps.${i}.inputs.${j}.from.${k}`;
        if (source === 'upload') return;
        const from = source.slice(0, source.indexOf('/'));
        if (!names.includes(from)) out.push({ path: at, message: `no step named "${from}" in this job` });
        else if (!above.has(from)) out.push({ path: at, message: `"${from}" is not upstream of this step` });
      });
      const slot = binding.as?.match(/^I(\d+)$/);
      const inputs = tasks.get(step.task)?.inputs ?? [];
      if (slot && Number(slot[1]) > inputs.length) {
        out.push({
          path: `steps.${i}.inputs.${j}.as`,
          message: `task "${step.task}" has ${inputs.length} input ending(s), so there is no ${binding.as}`,
        });
      }
    });
  });
  return [...out, ...checkMaps(steps, ordered, names, tasks, upstream)];
}

/** A map needs a source that can exist (a step upstream whose task can make matching files) and a first input to take each item. */
function checkMaps(
  steps: Step[],
  ordered: { step: Step; at: number }[],
  names: string[],
  tasks: Map<string, TaskFacts>,
  upstream: (i: number) => Set<string>,
): RuleViolation[] {
  const out: RuleViolation[] = [];
  const taskOf = new Map(ordered.map((o, k) => [names[k]!, o.step.task]));
  steps.forEach((step, i) => {
    if (!step.map) return;
    if (step.inputs) out.push({ path: `steps.${i}.inputs`, message: 'a map step reads its item, not input bindings' });
    if (!tasks.get(step.task)?.inputs.length) {
      out.push({ path: `steps.${i}.map`, message: `task "${step.task}" has no input ending to take each item` });
    }
    const [key, source] =
      'lines' in step.map ? ['lines', step.map.lines] : 'files' in step.map ? ['files', step.map.files] : [];
    if (!key || !source || source === 'upload') return;
    const at = `steps.${i}.map.${key}`;
    const from = source.slice(0, source.indexOf('/'));
    const glob = source.slice(source.indexOf('/') + 1);
    if (!names.includes(from)) return void out.push({ path: at, message: `no step named "${from}" in this job` });
    if (!upstream(i).has(from)) return void out.push({ path: at, message: `"${from}" is not upstream of this step` });
    // Results are named <submission id><ending>; a pattern no ending can match names files that never exist.
    const outputs = tasks.get(taskOf.get(from)!)?.outputs ?? [];
    if (!outputs.some((ending) => globMatch(glob, `00000000-0000-0000-0000-000000000000${ending}`))) {
      out.push({
        path: at,
        message: `"${from}" makes no file matching ${glob}: its task's outputs end in ${outputs.join(', ') || 'nothing'}`,
      });
    }
  });
  return out;
}
