// A_A's five state labels (reference/aa-behaviour.md §1.2, §3.7) for our richer statuses.
import type { SubmissionStatus } from '../db/submissions.table.ts';

export type AaState = 'Submitted' | 'Running' | 'Complete' | 'Error' | 'Crash';

/** Statuses a facade client can see: deleted submissions are gone (404), as A_A's deleted rows were. */
export type ShownStatus = Exclude<SubmissionStatus, 'deleted' | 'expired'>;

const LABELS: Record<ShownStatus, AaState> = {
  submitted: 'Submitted',
  running: 'Running',
  complete: 'Complete',
  error: 'Error',
  crash: 'Crash',
  // A_A had no cancel. Its clients poll until Complete, Error or Crash, so a cancelled run must be
  // one of those; Error ("the job has stopped") fits a stop by request, and last_message says why.
  cancelled: 'Error',
};

export function aaState(status: ShownStatus): AaState {
  return LABELS[status];
}

/**
 * An expired submission lost its files, not its outcome (A_A's clean-up kept the row and its
 * status): the outcome is the last status recorded before expiry, from the message history.
 */
export function statusBeforeExpiry(history: readonly string[]): ShownStatus {
  for (let i = history.length - 1; i >= 0; i--) {
    const status = history[i]!;
    if (Object.hasOwn(LABELS, status)) return status as ShownStatus;
  }
  return 'complete';
}

export interface BatchMember {
  state: AaState;
  finishedAt: Date | null;
}

/**
 * A batch's state from its submissions, as A_A's batch row moved: Error and Crash are sticky and
 * the first failure wins; Complete only when every submission is; Running once any has started.
 */
export function batchState(members: readonly BatchMember[]): AaState {
  const failures = members
    .filter((m) => m.state === 'Error' || m.state === 'Crash')
    .sort((a, b) => (a.finishedAt?.getTime() ?? Infinity) - (b.finishedAt?.getTime() ?? Infinity));
  if (failures.length > 0) return failures[0]!.state;
  if (members.length > 0 && members.every((m) => m.state === 'Complete')) return 'Complete';
  if (members.some((m) => m.state !== 'Submitted')) return 'Running';
  return 'Submitted';
}
