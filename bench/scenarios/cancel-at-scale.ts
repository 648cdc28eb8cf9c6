import { readlink } from 'node:fs/promises';
import { adminPut, getSubmission, requestCancel, submit, TERMINAL } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { descendantsNamed, isAliveNow } from '../bench-processes.ts';
import { distribution, round, type Figure } from '../bench-stats.ts';

const BACKEND = 'bench-scale';
const JOB = 'bench-scale-sleep-tree';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The submission a step process belongs to, from its working directory (<work>/<submission id>/step-…). */
async function submissionOf(pid: number): Promise<string | undefined> {
  return (await readlink(`/proc/${pid}/cwd`).catch(() => '')).match(UUID)?.[0];
}

/** Each submission's three PIDs (sh and its two sleeps), once all `count` trees run under the worker. */
async function runningTrees(workerPid: number, count: number): Promise<Map<string, number[]>> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const pids = [...(await descendantsNamed(workerPid, 'sh')), ...(await descendantsNamed(workerPid, 'sleep'))];
    const trees = new Map<string, number[]>();
    for (const pid of pids) {
      const id = await submissionOf(pid);
      if (id) trees.set(id, [...(trees.get(id) ?? []), pid]);
    }
    if (trees.size === count && [...trees.values()].every((tree) => tree.length === 3)) return trees;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ${count} process trees did not all start within 120 s`);
}

/** Submits `count` jobs, a few at a time: 100 POSTs at once on a busy 2-core machine time out at the database. */
async function submitAll(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const batch = Math.min(10, count - ids.length);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => submit(url, JOB)))));
  }
  return ids;
}

/**
 * Milliseconds after t0 at which each pid was first seen dead (gone or a zombie). One loop of
 * synchronous reads for every pid, every 5 ms: a loop per submission with async reads kept this
 * process so busy (300 reads each 2 ms) that it delayed its own view of the API's answers.
 */
async function deathTimes(pids: number[], t0: number): Promise<Map<number, number>> {
  const dead = new Map<number, number>();
  let alive = pids;
  while (alive.length > 0) {
    const now = performance.now() - t0;
    alive = alive.filter((pid) => isAliveNow(pid) || (dead.set(pid, now), false));
    if (now > 60_000) throw new Error(`PIDs ${alive.join(' ')} still alive after 60 s`);
    if (alive.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return dead;
}

/** Milliseconds after t0 at which the API first answered `cancelled` (long-polls: ?wait answers on each change). */
async function cancelledSeen(url: string, id: string, t0: number): Promise<number> {
  for (;;) {
    const state = await getSubmission(url, id, 30);
    if (state.status === 'cancelled') return performance.now() - t0;
    if (TERMINAL.has(state.status)) throw new Error(`submission ${id} ended ${state.status}, not cancelled`);
  }
}

/**
 * Starts `count` sleep trees (3 processes each) on a backend worker that runs them all at once,
 * cancels them all at the same moment and times, per submission, the last of its PIDs to die
 * after the cancels went out, and the API's `cancelled` after that. Goals (issue 18): last PID dead
 * ≤ 1 s, status ≤ 0.3 s after it.
 */
async function cancelAtScale(ctx: BenchContext, count: number): Promise<Figure[]> {
  const { url } = ctx.target;
  const worker = await ctx.startBackend!(BACKEND, count);
  try {
    const ids = await submitAll(url, count);
    const trees = await runningTrees(worker.pid, count);
    const t0 = performance.now();
    const cancels = ids.map(async (id) => {
      const res = await requestCancel(url, id);
      if (res.status !== 202) throw new Error(`cancel ${id} answered ${res.status}: ${await res.text()}`);
    });
    const [deaths, seen] = await Promise.all([
      deathTimes([...trees.values()].flat(), t0),
      Promise.all(ids.map((id) => cancelledSeen(url, id, t0))),
    ]);
    const timings = ids.map((id, i) => {
      const dead = Math.max(...trees.get(id)!.map((pid) => deaths.get(pid)!));
      return { dead, lag: seen[i]! - dead };
    });
    await Promise.all(cancels);
    const dead = distribution(timings.map((t) => t.dead));
    const lag = distribution(timings.map((t) => t.lag));
    return [
      {
        name: `cancel-at-scale-${count}-last-pid-dead`,
        value: dead.max,
        unit: 'ms max',
        detail: `${count} jobs (${count * 3} processes) cancelled at once: last PID dead p50 ${round(dead.p50)} ms, max ${round(dead.max)} ms (goal 1000 ms)`,
        data: { ...dead, samples: timings.map((t) => t.dead) },
      },
      {
        name: `cancel-at-scale-${count}-status-after-dead`,
        value: lag.max,
        unit: 'ms max',
        detail: `${count} jobs: status cancelled after the last PID dead p50 ${round(lag.p50)} ms, max ${round(lag.max)} ms (goal 300 ms)`,
        data: { ...lag, samples: timings.map((t) => t.lag) },
      },
    ];
  } finally {
    await worker.stop();
  }
}

export async function cancelAtScaleScenario(ctx: BenchContext): Promise<Figure[]> {
  if (!ctx.startBackend) {
    console.log(
      'cancel-at-scale: skipped (needs the local stack, to start a backend worker that runs 100 steps at once)',
    );
    return [];
  }
  await adminPut(ctx.target, `/api/v1/backends/${BACKEND}`, { description: 'cancel at scale' });
  await adminPut(ctx.target, `/api/v1/tasks/${JOB}`, {
    backend: BACKEND,
    executable: "sh -c 'sleep 600 & sleep 600; wait'",
    description: 'a process tree to cancel',
  });
  await adminPut(ctx.target, `/api/v1/jobs/${JOB}`, { steps: [{ task: JOB, ordering: 0 }] });
  const figures: Figure[] = [];
  for (const count of sized(ctx, [20, 100], [20])) figures.push(...(await cancelAtScale(ctx, count)));
  return figures;
}
