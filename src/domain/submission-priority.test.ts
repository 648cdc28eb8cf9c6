import { decidePriority, temporalPriorityKey } from './submission-priority.ts';

describe('decidePriority', () => {
  it('follows A_A with a soft limit of 10 and a hard limit of 15', () => {
    const limits = { softLimit: 10, hardLimit: 15 };
    expect(decidePriority({ authenticated: false, active: 9, ...limits })).toBe(1);
    expect(decidePriority({ authenticated: false, active: 10, ...limits })).toBe(0);
    expect(decidePriority({ authenticated: false, active: 15, ...limits })).toBeNull();
    expect(decidePriority({ authenticated: true, active: 0, ...limits })).toBe(2);
    expect(decidePriority({ authenticated: true, active: 14, ...limits })).toBe(1);
    expect(decidePriority({ authenticated: true, active: 15, ...limits })).toBeNull();
  });

  it('applies no limit when none is configured', () => {
    expect(decidePriority({ authenticated: false, active: 10_000 })).toBe(1);
  });
});

describe('temporalPriorityKey', () => {
  it('runs high priority first: lower keys win in Temporal', () => {
    expect(temporalPriorityKey(2)).toBeLessThan(temporalPriorityKey(1));
    expect(temporalPriorityKey(1)).toBe(3);
    expect(temporalPriorityKey(0)).toBeGreaterThan(temporalPriorityKey(1));
  });
});
