import { z } from '@hono/zod-openapi';
import { Text } from '../domain/well-formed-text.ts';

/** A file ending as A_A wrote them (`.fasta`, `.ss2`): no slashes or spaces, so never a path. */
export const Ending = Text()
  .regex(/^[A-Za-z0-9_.+-]{1,64}$/, 'must be a file ending such as .fasta (letters, digits, "_", ".", "+", "-")')
  .openapi({ example: '.fasta' });

/** Parameter aliases become form fields `<task>_<alias>`, so they stay identifier-like. */
export const Alias = Text().regex(
  /^[A-Za-z0-9][A-Za-z0-9_]{0,63}$/,
  'must be 1-64 letters, digits or "_", starting with a letter or digit',
);

export const EnvName = Text().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name');

export const ExitCode = z.number().int().min(1).max(255);

export const ExitPolicy = z.enum(['continue', 'terminate', 'fail']).openapi('ExitPolicy', {
  description: 'continue the job, stop it without error (terminate), or fail it',
});
export type ExitPolicy = z.infer<typeof ExitPolicy>;

/** Text that YAML authors may write unquoted (`version: 2`, `default: true`): kept as a string. */
export function Scalar(max: number, min = 0) {
  return z.union([Text().min(min).max(max), z.number(), z.boolean()]).transform(String);
}
