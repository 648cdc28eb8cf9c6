import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { submit, waitForEnd } from '../bench-client.ts';
import { sized, type BenchContext } from '../bench-context.ts';
import { distribution, round, type Figure } from '../bench-stats.ts';
import { BENCH_JOBS } from '../bench-jobs.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The moments of one run in order: the client's, then each history event's, named by what happened. */
function pointsOf(events: HistoryEvent[], post: number, answered: number, seen: number): [string, number][] {
  const points: [string, number][] = [
    ['post', post],
    ['post answered', answered],
  ];
  const activityNames = new Map<number, string>();
  let workflowTask = 0;
  for (const e of events) {
    const at = tsToMs(e.eventTime);
    const id = Number(e.eventId);
    if (e.workflowExecutionStartedEventAttributes) points.push(['workflow started', at]);
    else if (e.workflowTaskScheduledEventAttributes) points.push([`wft${++workflowTask} scheduled`, at]);
    else if (e.workflowTaskStartedEventAttributes) points.push([`wft${workflowTask} started`, at]);
    else if (e.workflowTaskCompletedEventAttributes) points.push([`wft${workflowTask} completed`, at]);
    else if (e.activityTaskScheduledEventAttributes) {
      const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? 'activity';
      activityNames.set(id, name);
      points.push([`${name} scheduled`, at]);
    } else if (e.activityTaskStartedEventAttributes) {
      points.push([`${activityNames.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId))} started`, at]);
    } else if (e.activityTaskCompletedEventAttributes) {
      points.push([
        `${activityNames.get(Number(e.activityTaskCompletedEventAttributes.scheduledEventId))} completed`,
        at,
      ]);
    } else if (e.markerRecordedEventAttributes) points.push([`local activity recorded`, at]);
    else if (e.workflowExecutionCompletedEventAttributes) points.push(['workflow completed', at]);
  }
  points.push(['terminal status seen', seen]);
  return points;
}

/**
 * Where the time of a 1-step run goes: each gap between consecutive moments (client and Temporal
 * history events), as medians over sequential runs. Diagnostic for the latency figure.
 */
export async function hopsScenario(ctx: BenchContext): Promise<Figure[]> {
  if (!ctx.temporalAddress) {
    console.log('hops: skipped (no Temporal address)');
    return [];
  }
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  try {
    const client = new Client({ connection });
    const gaps = new Map<string, number[]>();
    const totals: number[] = [];
    for (let i = 0; i < sized(ctx, 50, 10); i++) {
      const post = Date.now();
      const id = await submit(ctx.target.url, BENCH_JOBS.oneStep);
      const answered = Date.now();
      await waitForEnd(ctx.target.url, id);
      const seen = Date.now();
      totals.push(seen - post);
      const handle = client.workflow.getHandle(workflowIdFor(id));
      // The history is read once the workflow has closed, so every run has the same events.
      await handle.result();
      const { events } = await handle.fetchHistory();
      const points = pointsOf(events ?? [], post, answered, seen);
      for (let p = 1; p < points.length; p++) {
        const label = `${points[p - 1]![0]} → ${points[p]![0]}`;
        gaps.set(label, [...(gaps.get(label) ?? []), points[p]![1] - points[p - 1]![1]]);
      }
    }
    const total = distribution(totals);
    const medians = [...gaps].map(([label, samples]) => [label, distribution(samples).p50] as const);
    for (const [label, ms] of medians) console.log(`  hop ${label}: ${round(ms)} ms`);
    return [
      {
        name: 'hops',
        value: total.p50,
        unit: 'ms',
        detail: `p50 of each hop: ${medians.map(([label, ms]) => `${label} ${round(ms)}`).join('; ')}`,
        data: { total, hops: Object.fromEntries(medians) },
      },
    ];
  } finally {
    await connection.close();
  }
}
