import { aaState, batchState, statusBeforeExpiry, type AaState } from './aa-state.ts';

const member = (state: AaState, finishedAt: string | null = null) => ({
  state,
  finishedAt: finishedAt ? new Date(finishedAt) : null,
});

describe('aaState', () => {
  it.each([
    ['submitted', 'Submitted'],
    ['running', 'Running'],
    ['complete', 'Complete'],
    ['error', 'Error'],
    ['crash', 'Crash'],
    ['cancelled', 'Error'],
  ] as const)('shows %s as %s', (status, label) => {
    expect(aaState(status)).toBe(label);
  });
});

describe('statusBeforeExpiry', () => {
  it('takes the last status recorded before the submission expired', () => {
    expect(statusBeforeExpiry(['submitted', 'running', 'error', 'expired'])).toBe('error');
  });

  it('assumes complete when no earlier status is known', () => {
    expect(statusBeforeExpiry(['expired'])).toBe('complete');
  });
});

describe('batchState', () => {
  it('is Submitted while no submission has started', () => {
    expect(batchState([member('Submitted'), member('Submitted')])).toBe('Submitted');
  });

  it('is Running once any submission has started and not all are complete', () => {
    expect(batchState([member('Complete'), member('Submitted')])).toBe('Running');
    expect(batchState([member('Running'), member('Submitted')])).toBe('Running');
  });

  it('is Complete only when every submission is complete', () => {
    expect(batchState([member('Complete'), member('Complete')])).toBe('Complete');
  });

  it('is the first failure when a submission failed, whatever the others do', () => {
    expect(batchState([member('Running'), member('Error', '2026-01-01T00:00:02Z')])).toBe('Error');
    expect(batchState([member('Crash', '2026-01-01T00:00:01Z'), member('Error', '2026-01-01T00:00:02Z')])).toBe(
      'Crash',
    );
    expect(batchState([member('Crash', '2026-01-01T00:00:03Z'), member('Error', '2026-01-01T00:00:02Z')])).toBe(
      'Error',
    );
  });
});
