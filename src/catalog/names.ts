import type { z } from '@hono/zod-openapi';
import { Text } from '../domain/well-formed-text.ts';

/** Names of backends, tasks, jobs and users: safe in URLs, file names, task queues and YAML keys. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const Name = Text()
  .regex(NAME_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit')
  .openapi({ example: 'psipred' });
export type Name = z.infer<typeof Name>;

/** Code-point order, the same on every machine (PostgreSQL's order depends on its collation). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
