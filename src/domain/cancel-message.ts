/** The final message of a cancelled submission says who cancelled it and when, e.g. "Cancelled during step 1 (sort) by user:alice at 2026-11-23T12:00:00.000Z". */
export function cancelledMessage(base: string, by: string | null, at: Date | null): string {
  if (!by) return base;
  return `${base} by ${by}${at ? ` at ${at.toISOString()}` : ''}`;
}
