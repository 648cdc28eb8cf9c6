import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';
import type { StepRun } from '../db/step-runs.table.ts';
import type { ExecutionPlan, PlannedStep } from '../domain/execution-plan.ts';
import { plannedStepOf } from '../domain/map-items.ts';
import type { SubmissionView } from './submission-schemas.ts';
import { listSubmissionFiles } from '../submissions/submission-file-repository.ts';
import { listMessages } from '../submissions/submission-message-repository.ts';
import { listStepRuns } from '../submissions/step-run-repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function submissionLinks(config: Config, submission: Pick<Submission, 'id' | 'workflow_id'>) {
  const self = `/api/v1/submissions/${submission.id}`;
  const ui = config.temporal.uiUrl;
  return {
    self,
    cancel: `${self}/cancel`,
    graph: `${self}/graph.svg`,
    ...(ui && submission.workflow_id
      ? {
          temporalUi: `${ui}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(submission.workflow_id)}`,
        }
      : {}),
  };
}

// A cached step is done as surely as a complete one: its result is there.
const isDone = (s: string) => s === 'complete' || s === 'cached';

function stageStatus(statuses: string[]): string {
  if (statuses.every(isDone)) return 'complete';
  for (const s of ['error', 'crash', 'cancelled', 'running']) if (statuses.includes(s)) return s;
  return statuses.some(isDone) ? 'running' : 'pending';
}

/** A graph plan's step: its name, its parents' names and what came of its conditions. */
function graphFacts(plan: ExecutionPlan, step: PlannedStep, run: StepRun | undefined, runs: StepRun[]) {
  if (step.parents === undefined) return {};
  const items = run?.items ?? null;
  const map = step.map && {
    total: items ?? 0,
    done: runs.filter(
      (r) => r.status === 'complete' && r.step_index !== step.index && plannedStepOf(r.step_index) === step.index,
    ).length,
  };
  const names = new Map(plan.stages.flat().map((s) => [s.index, s.name ?? s.taskName]));
  const judged = step.when?.length || step.parents.length;
  const condition =
    run?.status === 'skipped' ? run.message.replace(/^Skipped: /, '') : run && judged ? 'met' : undefined;
  return {
    name: step.name,
    parents: step.parents.map((p) => names.get(p)!),
    ...(condition && { condition }),
    ...(map && { map }),
  };
}

/** The whole state of a submission for GET: stages and steps from the plan and step runs, messages, files. */
export async function buildSubmissionView(db: Db, config: Config, submission: Submission): Promise<SubmissionView> {
  const [runs, messages, files] = await Promise.all([
    listStepRuns(db, submission.id),
    listMessages(db, submission.id),
    listSubmissionFiles(db, submission.id),
  ]);
  const plan = submission.plan as ExecutionPlan | null;
  const self = `/api/v1/submissions/${submission.id}`;
  const stages = (plan?.stages ?? []).map((stage, index) => {
    const steps = stage.map((step) => {
      const run = runs.find((r) => r.step_index === step.index);
      return {
        index: step.index,
        task: step.taskName,
        backend: step.backend,
        status: run?.status ?? 'pending',
        attempt: run?.attempt ?? 0,
        exitCode: run?.exit_code ?? null,
        host: run?.host ?? null,
        message: run?.message ?? '',
        startedAt: iso(run?.started_at ?? null),
        finishedAt: iso(run?.finished_at ?? null),
        ...graphFacts(plan!, step, run, runs),
      };
    });
    return { stage: index + 1, status: stageStatus(steps.map((s) => s.status)), steps };
  });
  return {
    id: submission.id,
    batchId: submission.batch_id,
    job: submission.job_name,
    name: submission.name,
    status: submission.status,
    lastMessage: submission.last_message,
    priority: submission.priority,
    createdAt: submission.created_at.toISOString(),
    startedAt: iso(submission.started_at),
    finishedAt: iso(submission.finished_at),
    stages,
    messages: messages.map((m) => ({
      at: m.created_at.toISOString(),
      status: m.status,
      message: m.message,
      step: m.step_index,
    })),
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      kind: f.kind,
      task: f.task_name,
      step: f.step_index,
      size: f.size,
      sha256: f.sha256,
      url: `${self}/files/${f.id}`,
    })),
    links: submissionLinks(config, submission),
  };
}
