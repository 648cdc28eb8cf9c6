import type { SubmissionStatus } from '../db/submissions.table.ts';

/** A submission in one of these may still run, be cancelled or end. */
export const ACTIVE_STATUSES = ['submitted', 'running'] as const satisfies readonly SubmissionStatus[];
/** How a submission ended; final: no later write changes it (only expiry or deletion erase it). */
export const TERMINAL_STATUSES = [
  'complete',
  'error',
  'crash',
  'cancelled',
] as const satisfies readonly SubmissionStatus[];

export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isActive(status: string): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isTerminal(status: string): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Nothing will change any more: the submission ended, or was erased since (deleted, expired). */
export function isSettled(status: string): boolean {
  return isTerminal(status) || status === 'deleted' || status === 'expired';
}

/**
 * The status machine: submitted → running → one terminal status, which is final; an ended
 * submission may later expire; anything but a deleted one may be deleted.
 */
export function canMove(from: SubmissionStatus, to: SubmissionStatus): boolean {
  if (to === 'deleted') return from !== 'deleted';
  if (to === 'expired') return isTerminal(from);
  if (to === 'running') return from === 'submitted';
  if (isTerminal(to)) return isActive(from);
  return false;
}
