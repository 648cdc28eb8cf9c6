import { proxyActivities } from '@temporalio/workflow';
import type { createBareActivities } from './bare-activities.ts';

const { runTrue } = proxyActivities<ReturnType<typeof createBareActivities>>({ startToCloseTimeout: '1m' });

/** The shape of a 1-step submission with nothing of ours around it: one activity that runs `true`. */
export async function bareWorkflow(): Promise<number> {
  return runTrue();
}

/** The shape of a 3-step submission: three activities in sequence, each running `true`. */
export async function bareWorkflow3(): Promise<number> {
  await runTrue();
  await runTrue();
  return runTrue();
}
