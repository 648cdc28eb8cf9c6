import type { Submission } from '../db/submissions.table.ts';

export type WesState = 'QUEUED' | 'RUNNING' | 'COMPLETE' | 'EXECUTOR_ERROR' | 'SYSTEM_ERROR' | 'CANCELING' | 'CANCELED';

/** A submission's state in WES terms (State in the WES 1.1 schema). */
export function wesState(row: Pick<Submission, 'status' | 'cancel_requested_at'>): WesState {
  switch (row.status) {
    case 'submitted':
    case 'running':
      // Asked to stop, and not yet stopped.
      if (row.cancel_requested_at) return 'CANCELING';
      return row.status === 'submitted' ? 'QUEUED' : 'RUNNING';
    // An expired run completed; its files are gone, which its outputs show.
    case 'complete':
    case 'expired':
      return 'COMPLETE';
    // A step's command failed: the executor's error. A crash is ours.
    case 'error':
      return 'EXECUTOR_ERROR';
    case 'crash':
      return 'SYSTEM_ERROR';
    case 'cancelled':
    case 'deleted':
      return 'CANCELED';
  }
}
