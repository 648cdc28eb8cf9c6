import type { TextProblemAt } from './well-formed-text.ts';
import { DomainError } from './domain-error.ts';

/** The error every malformed-text refusal outside zod throws: `invalid_text`, naming the field. */
export function invalidText(problem: TextProblemAt): DomainError {
  const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
  return new DomainError('invalid_text', message, [problem]);
}
