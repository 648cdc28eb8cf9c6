import type { SubmissionStatus } from '../db/submissions.table.ts';
import { ACTIVE_STATUSES, canMove, isActive, isSettled, isTerminal, TERMINAL_STATUSES } from './submission-status.ts';

const ALL: SubmissionStatus[] = [
  'submitted',
  'running',
  'complete',
  'error',
  'crash',
  'cancelled',
  'deleted',
  'expired',
];

describe('submission status machine', () => {
  it('lets an active submission end with every terminal status', () => {
    for (const from of ACTIVE_STATUSES) for (const to of TERMINAL_STATUSES) expect(canMove(from, to)).toBe(true);
  });

  it('keeps a terminal status final: no move to another terminal or active status', () => {
    for (const from of TERMINAL_STATUSES) {
      for (const to of [...ACTIVE_STATUSES, ...TERMINAL_STATUSES]) expect(canMove(from, to)).toBe(false);
    }
  });

  it('starts running only from submitted', () => {
    expect(ALL.filter((from) => canMove(from, 'running'))).toEqual(['submitted']);
  });

  it('expires only ended submissions and deletes anything not yet deleted', () => {
    expect(ALL.filter((from) => canMove(from, 'expired'))).toEqual([...TERMINAL_STATUSES]);
    expect(ALL.filter((from) => canMove(from, 'deleted'))).toEqual(ALL.filter((s) => s !== 'deleted'));
  });

  it('never moves out of deleted', () => {
    expect(ALL.filter((to) => canMove('deleted', to))).toEqual([]);
  });

  it('tells active, terminal and settled statuses apart', () => {
    expect(ALL.filter(isActive)).toEqual(['submitted', 'running']);
    expect(ALL.filter(isTerminal)).toEqual(['complete', 'error', 'crash', 'cancelled']);
    expect(ALL.filter(isSettled)).toEqual(['complete', 'error', 'crash', 'cancelled', 'deleted', 'expired']);
  });
});
