import type { SubmissionView } from '../api/submission-schemas.ts';
import { isFinished } from './exit-codes.ts';

type StepView = SubmissionView['stages'][number]['steps'][number];

const FAILED = new Set(['error', 'crash', 'cancelled']);

function stepLine(step: StepView, total: number): string {
  const extras: string[] = [];
  if (step.attempt > 1) extras.push(`attempt ${step.attempt}`);
  if (step.exitCode !== null && step.status !== 'complete') extras.push(`exit ${step.exitCode}`);
  const message = FAILED.has(step.status) && step.message ? `: ${step.message.split('\n')[0]}` : '';
  const suffix = extras.length ? ` (${extras.join(', ')})` : '';
  return `step ${step.index + 1}/${total}: ${step.task} on backend ${step.backend}: ${step.status}${suffix}${message}`;
}

/**
 * What changed between two readings of a submission, as plain lines for logs and pipes
 * (one line per step that moved, one when the submission's status moved while it runs;
 * the end is told by finalLine).
 */
export function describeChanges(previous: SubmissionView | null, next: SubmissionView): string[] {
  const lines: string[] = [];
  if (!previous) lines.push(`submission ${next.id} (job ${next.job}, "${next.name}"): ${next.status}`);
  const before = new Map(previous?.stages.flatMap((s) => s.steps.map((step) => [step.index, step] as const)));
  const steps = next.stages.flatMap((s) => s.steps);
  for (const step of steps) {
    const old = before.get(step.index);
    const moved = old ? old.status !== step.status || old.attempt !== step.attempt : step.status !== 'pending';
    if (moved) lines.push(stepLine(step, steps.length));
  }
  if (previous && previous.status !== next.status && !isFinished(next.status)) lines.push(`submission ${next.status}`);
  return lines;
}

/** How a finished submission ended, with the way to its results. */
export function finalLine(view: SubmissionView): string {
  const message = view.lastMessage ? `: ${view.lastMessage.split('\n')[0]}` : '';
  const results = view.files.filter((f) => f.kind !== 'input').length;
  const hint =
    view.status === 'complete' && results > 0 ? ` (${results} result files: aa results ${view.id} -o DIR)` : '';
  return `submission ${view.status}${message}${hint}`;
}
