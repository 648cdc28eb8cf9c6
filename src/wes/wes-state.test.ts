import { wesState } from './wes-state.ts';

describe('wesState', () => {
  it.each([
    ['submitted', null, 'QUEUED'],
    ['running', null, 'RUNNING'],
    ['running', new Date(), 'CANCELING'],
    ['submitted', new Date(), 'CANCELING'],
    ['complete', null, 'COMPLETE'],
    ['expired', null, 'COMPLETE'],
    ['error', null, 'EXECUTOR_ERROR'],
    ['crash', null, 'SYSTEM_ERROR'],
    ['cancelled', new Date(), 'CANCELED'],
  ] as const)('maps %s (cancel requested %s) to %s', (status, at, state) => {
    expect(wesState({ status, cancel_requested_at: at })).toBe(state);
  });
});
