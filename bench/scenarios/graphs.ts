import { adminPut, timedRun } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';
import { distribution, round, type Figure } from '../bench-stats.ts';

const GRAPH_JOB = 'bench-graph-50';
const MAP_JOB = 'bench-map';
const MIDDLE = 48;

/**
 * Jobs as graphs: a 50-node graph of `true` (one step, 48 after it at once, one after all of them)
 * and a map of `true` over the lines of a parent's result (1,000 items; quick: 100). Each is timed
 * end to end, and its overhead per node set next to the 1-step job's whole run.
 */
export async function graphsScenario(ctx: BenchContext): Promise<Figure[]> {
  const items = sized(ctx, 1000, 100);
  const runs = sized(ctx, 3, 1);
  await configure(ctx, items);
  const oneStep: number[] = [];
  for (let i = 0; i < sized(ctx, 10, 3); i++) oneStep.push((await timedRun(ctx.target.url, BENCH_JOBS.oneStep)).ms);
  const perStepJob = distribution(oneStep).p50;

  const timed = async (job: string) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await timedRun(ctx.target.url, job);
      if (run.status !== 'complete') throw new Error(`${job} ended ${run.status}`);
      samples.push(run.ms);
    }
    return distribution(samples).p50;
  };
  const graphMs = await timed(GRAPH_JOB);
  const mapMs = await timed(MAP_JOB);
  const figure = (name: string, ms: number, nodes: number): Figure => ({
    name,
    value: ms,
    unit: 'ms',
    detail: `${round(ms / nodes)} ms per node over ${nodes} nodes; the 1-step job takes ${round(perStepJob)} ms (p50), n ${runs}`,
    data: { ms, nodes, perNodeMs: ms / nodes, oneStepJobMs: perStepJob, runs },
  });
  return [figure('graph-50-nodes', graphMs, MIDDLE + 2), figure(`map-${items}-items`, mapMs, items + 1)];
}

async function configure(ctx: BenchContext, items: number): Promise<void> {
  const { target, backend } = ctx;
  await adminPut(target, '/api/v1/tasks/bench-list', {
    backend,
    executable: `seq ${items}`,
    stdout: '.list',
    outputs: ['.list'],
    description: 'the lines a map runs over',
  });
  await adminPut(target, '/api/v1/tasks/bench-true-item', {
    backend,
    executable: 'true',
    inputs: ['.txt'],
    description: 'takes one item and ignores it',
  });
  const middle = Array.from({ length: MIDDLE }, (_, i) => ({ task: 'bench-true', ordering: 1, name: `m${i + 1}` }));
  await adminPut(target, `/api/v1/jobs/${GRAPH_JOB}`, {
    steps: [
      { task: 'bench-true', ordering: 0, name: 'root' },
      ...middle,
      { task: 'bench-true', ordering: 2, name: 'sink' },
    ],
  });
  await adminPut(target, `/api/v1/jobs/${MAP_JOB}`, {
    steps: [
      { task: 'bench-list', ordering: 0, name: 'list' },
      { task: 'bench-true-item', ordering: 1, name: 'each', map: { lines: 'list/*.list', maxParallel: 16 } },
    ],
  });
}
