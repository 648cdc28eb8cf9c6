import type { TextProblemAt } from '../domain/well-formed-text.ts';
import { AppError } from './app-error.ts';

/** The error every malformed-text refusal outside zod throws: 422 `invalid_text`, naming the field. */
export function invalidText(problem: TextProblemAt): AppError {
  const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
  return new AppError(422, 'invalid_text', message, [problem]);
}
