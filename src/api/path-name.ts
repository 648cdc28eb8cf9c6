import { z } from '@hono/zod-openapi';
import { Name } from '../catalog/names.ts';
import { violationError } from '../catalog/rule-violation.ts';

export const NameParam = z.object({ name: Name.openapi({ param: { name: 'name', in: 'path' } }) });

/** The body as a named entry: the path names the object, and a `name` in the body must agree. */
export function withPathName<T extends { name?: string }>(name: string, body: T): T & { name: string } {
  if (body.name !== undefined && body.name !== name) {
    throw violationError('invalid_body', [
      { path: 'name', message: `"${body.name}" differs from the name in the path ("${name}")` },
    ]);
  }
  return { ...body, name };
}
