// A_A's throttle (reference/aa-behaviour.md §3.2), per client: API key's user, else IP.

export const DEFAULT_PRIORITY = 1;
export const AUTHENTICATED_PRIORITY = 2;

export interface PriorityInput {
  authenticated: boolean;
  /** The client's submissions that are submitted or running. */
  active: number;
  softLimit?: number;
  hardLimit?: number;
}

/** 0 low, 1 normal, 2 high; null means refuse (429). Unset limits are off. */
export function decidePriority({ authenticated, active, softLimit, hardLimit }: PriorityInput): number | null {
  const base = authenticated ? AUTHENTICATED_PRIORITY : DEFAULT_PRIORITY;
  if (hardLimit !== undefined && active >= hardLimit) return null;
  if (softLimit !== undefined && active >= softLimit) return base - 1;
  return base;
}

/** Temporal priority keys run lower numbers first (1..5, default 3). */
export function temporalPriorityKey(priority: number): number {
  return 4 - Math.max(0, Math.min(2, priority));
}
