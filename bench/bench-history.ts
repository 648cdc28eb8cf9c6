import type { Client } from '@temporalio/client';
import { distribution, round, type Distribution } from './bench-stats.ts';

/** How many workflows of a run have their history fetched: enough for a stable figure, cheap to read. */
export const HISTORY_SAMPLE = 10;

/**
 * History events per job: the events of a sample of completed workflows, read back through the
 * client as any tool would. Every event is work for the Temporal server and its database.
 */
export async function historyEvents(client: Client, workflowIds: string[]): Promise<Distribution> {
  const counts: number[] = [];
  for (const id of workflowIds.slice(0, HISTORY_SAMPLE)) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    counts.push(history.events?.length ?? 0);
  }
  return distribution(counts);
}

export function historyDetail(d: Distribution): string {
  return `events per workflow: p50 ${d.p50}, mean ${round(d.mean)}, max ${d.max}, n ${d.n} completed workflows`;
}
