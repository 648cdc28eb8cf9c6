/** What the graph of a job is made of: steps in stage order (by ordering, then as given). */
export interface GraphStepSpec {
  task: string;
  ordering: number;
  name?: string | undefined;
  after?: string[] | undefined;
}

/**
 * Each step's name: its own, else its task's, with -2, -3… for a task used again, so that old jobs
 * (which named nothing) get stable, readable names.
 */
export function stepNames(steps: GraphStepSpec[]): string[] {
  const taken = new Set(steps.flatMap((s) => (s.name ? [s.name] : [])));
  return steps.map((step) => {
    if (step.name) return step.name;
    let name = step.task;
    for (let n = 2; taken.has(name); n++) name = `${step.task}-${n}`;
    taken.add(name);
    return name;
  });
}

/**
 * The indexes each step waits for: the steps named in `after`, else every step of the previous
 * ordering, which is what stages meant. Unknown names are left out (the config check reports them).
 */
export function parentsOf(steps: GraphStepSpec[], names: string[]): number[][] {
  const index = new Map(names.map((name, i) => [name, i]));
  return steps.map((step) => {
    if (step.after) return [...new Set(step.after.flatMap((n) => (index.has(n) ? [index.get(n)!] : [])))];
    const earlier = steps.filter((s) => s.ordering < step.ordering).map((s) => s.ordering);
    if (earlier.length === 0) return [];
    const previous = Math.max(...earlier);
    return steps.flatMap((s, i) => (s.ordering === previous ? [i] : []));
  });
}

/** A cycle as the indexes along it, first repeated at the end (a → b → a), or undefined. */
export function findCycle(parents: number[][]): number[] | undefined {
  const state = new Array<'visiting' | 'done' | undefined>(parents.length);
  const path: number[] = [];
  const visit = (i: number): number[] | undefined => {
    if (state[i] === 'done') return undefined;
    if (state[i] === 'visiting') return [...path.slice(path.indexOf(i)), i];
    state[i] = 'visiting';
    path.push(i);
    for (const p of parents[i]!) {
      const cycle = visit(p);
      if (cycle) return cycle;
    }
    path.pop();
    state[i] = 'done';
    return undefined;
  };
  for (let i = 0; i < parents.length; i++) {
    const cycle = visit(i);
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/** Every step upstream of each step, ascending; the graph must have no cycle. */
export function ancestorsOf(parents: number[][]): number[][] {
  const memo = new Map<number, Set<number>>();
  const up = (i: number): Set<number> => {
    const known = memo.get(i);
    if (known) return known;
    const all = new Set<number>();
    for (const p of parents[i]!) {
      all.add(p);
      for (const a of up(p)) all.add(a);
    }
    memo.set(i, all);
    return all;
  };
  return parents.map((_, i) => [...up(i)].sort((a, b) => a - b));
}
