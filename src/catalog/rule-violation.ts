import type { z, ZodType } from 'zod';
import { AppError, type ErrorCode } from '../api/app-error.ts';
import { textIssue } from '../domain/well-formed-text.ts';

/** One broken rule, at a dotted path in the body (`parameters.2.alias`). */
export interface RuleViolation {
  path: string;
  message: string;
  /** The objects in the way, for a conflict. */
  names?: string[];
}

/** A 4xx whose message starts with the first violation's path and whose details list them all. */
export function violationError(status: 409 | 422, code: ErrorCode, violations: RuleViolation[]): AppError {
  const first = violations[0]!;
  return new AppError(status, code, first.path ? `${first.path}: ${first.message}` : first.message, violations);
}

/** The same error with every path placed under `prefix` (`tasks.3`), for whole-document imports. */
export function underPath(err: unknown, prefix: string): unknown {
  if (!(err instanceof AppError) || !Array.isArray(err.details)) return err;
  const violations = (err.details as RuleViolation[]).map((v) => ({
    ...v,
    path: v.path ? `${prefix}.${v.path}` : prefix,
  }));
  return violationError(err.status as 409 | 422, err.code, violations);
}

/**
 * Zod issues as the API's 422: `invalid_text` naming the field when a string is malformed (NUL,
 * unpaired surrogate), else `invalid_body`; details list every issue.
 */
export function schemaError(issues: readonly z.core.$ZodIssue[]): AppError {
  const violations = issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const text = textIssue(issues);
  if (text) return violationError(422, 'invalid_text', [text, ...violations.filter((v) => v.path !== text.path)]);
  return violationError(422, 'invalid_body', violations);
}

/** Parses with a zod schema, or throws the same 422 the routes' validation gives. */
export function parseOrThrow<S extends ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw schemaError(result.error.issues);
}
