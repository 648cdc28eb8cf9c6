import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import { prepareSubmission } from '../submissions/prepare-submission.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import { cronProblem } from './cron-check.ts';
import { scheduledInputRef, withInlineUpload } from './inline-upload.ts';
import type { OverlapPolicy, ScheduleCreate, SchedulePatch, ScheduleView } from './schedule-schemas.ts';
import type { ScheduleDefinition, ScheduledRunInput } from './scheduled-run.ts';

export interface ScheduleDeps {
  db: Db;
  config: Config;
  temporal: TemporalGateway;
  validators?: ValidatorRegistry | undefined;
}

export const SCHEDULED_WORKFLOW = 'scheduledSubmissionWorkflow';
const GRPC_INVALID_ARGUMENT = 3;

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  buffer_one: ScheduleOverlapPolicy.BUFFER_ONE,
  allow_all: ScheduleOverlapPolicy.ALLOW_ALL,
};

function invalid(path: string, message: string): DomainError {
  return new DomainError('invalid_body', `${path}: ${message}`, [{ path, message }]);
}

/** The definition with every default filled in. */
export function definitionOf(fields: SchedulePatch & { job: string }): ScheduleDefinition {
  return {
    job: fields.job,
    parameters: fields.parameters ?? {},
    input: fields.input ? { text: fields.input.text, name: fields.input.name ?? 'input.txt' } : null,
    dataset: fields.dataset ?? null,
    cron: fields.cron ?? [],
    interval: fields.interval ?? null,
    timeZone: fields.timeZone ?? 'UTC',
    overlap: fields.overlap ?? 'skip',
    notifyEmail: fields.notifyEmail ?? null,
  };
}

/**
 * Every check a run would make (the job, its parameters, its validators on the input), plus the
 * timing, before anything is created: a refusal names the field and leaves nothing behind.
 */
async function checkDefinition(deps: ScheduleDeps, d: ScheduleDefinition, owner: Principal): Promise<void> {
  for (const [i, cron] of d.cron.entries()) {
    const problem = cronProblem(cron);
    if (problem) throw invalid(`cron.${i}`, `"${cron}" ${problem}`);
  }
  if (d.cron.length === 0 && d.interval === null) throw invalid('cron', 'give cron strings or an interval');
  try {
    new Intl.DateTimeFormat('en', { timeZone: d.timeZone });
  } catch {
    throw invalid('timeZone', `unknown time zone "${d.timeZone}"`);
  }
  if (d.input !== null && d.dataset !== null) throw invalid('dataset', 'give input or dataset, not both');
  const referencedInput = await scheduledInputRef(deps, d, owner).catch((err: unknown) => {
    throw err instanceof DomainError ? invalid('dataset', err.message) : err;
  });
  try {
    await withInlineUpload(d.input, (upload) =>
      prepareSubmission(deps, {
        jobName: d.job,
        submissionName: '',
        email: null,
        parameters: d.parameters,
        upload,
        referencedInput,
        rejectUnknownParameters: true,
      }),
    );
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.code === 'not_found') throw invalid('job', err.message);
    if (err.code === 'invalid_parameter' && Array.isArray(err.details)) {
      const first = (err.details as { field: string; message: string }[])[0]!;
      throw invalid(`parameters.${first.field}`, first.message);
    }
    throw new DomainError(err.code, `job: ${err.message}`, err.details);
  }
}

function temporalOptions(config: Config, runInput: ScheduledRunInput) {
  const d = runInput.definition;
  return {
    spec: {
      cronExpressions: d.cron,
      intervals: d.interval === null ? [] : [{ every: d.interval * 1000 }],
      timezone: d.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: SCHEDULED_WORKFLOW,
      args: [runInput],
      taskQueue: config.temporal.orchestratorQueue,
      workflowId: `schedule-${runInput.scheduleId}`,
    },
    policies: { overlap: OVERLAP[d.overlap], catchupWindow: '1m' },
  } satisfies Omit<ScheduleOptions, 'scheduleId'>;
}

function viewOf(description: ScheduleDescription, input: ScheduledRunInput): ScheduleView {
  return {
    id: input.scheduleId,
    ...input.definition,
    owner: input.owner.name,
    paused: description.state.paused,
    note: description.state.note ?? '',
    nextRuns: description.info.nextActionTimes.slice(0, 5).map((t) => t.toISOString()),
    recentRuns: description.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

function runInputOf(description: ScheduleDescription): ScheduledRunInput | null {
  const action = description.action;
  if (action.type !== 'startWorkflow' || action.workflowType !== SCHEDULED_WORKFLOW) return null;
  return (action.args?.[0] as ScheduledRunInput | undefined) ?? null;
}

function mayUse(input: ScheduledRunInput, principal: Principal): boolean {
  return principal.role === 'admin' || (input.owner.userId !== null && input.owner.userId === principal.userId);
}

/** The schedule's handle and stored run input, or 404 when it is not one of this caller's schedules. */
async function findSchedule(client: Client, id: string, principal: Principal) {
  const handle = client.schedule.getHandle(id);
  let description: ScheduleDescription;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new DomainError('not_found', `No schedule ${id}`);
    throw err;
  }
  const input = runInputOf(description);
  if (!input || !mayUse(input, principal)) throw new DomainError('not_found', `No schedule ${id}`);
  return { handle, description, input };
}

export async function createSchedule(deps: ScheduleDeps, principal: Principal, body: ScheduleCreate) {
  const definition = definitionOf(body);
  await checkDefinition(deps, definition, principal);
  const scheduleId = body.id ?? `s-${randomUUID()}`;
  const runInput: ScheduledRunInput = { scheduleId, owner: principal, definition };
  const client = await deps.temporal.client();
  try {
    await client.schedule.create({
      scheduleId,
      ...temporalOptions(deps.config, runInput),
      state: { paused: body.paused ?? false, note: body.note ?? '' },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) throw new DomainError('conflict', `A schedule ${scheduleId} exists`);
    // Temporal's own check of the timing, should it refuse something cronProblem let through.
    const cause = err instanceof Error && err.cause ? err.cause : err;
    if (isGrpcServiceError(cause) && cause.code === GRPC_INVALID_ARGUMENT) throw invalid('cron', cause.details);
    throw err;
  }
  return getSchedule(deps, principal, scheduleId);
}

export async function getSchedule(deps: ScheduleDeps, principal: Principal, id: string): Promise<ScheduleView> {
  const { description, input } = await findSchedule(await deps.temporal.client(), id, principal);
  return viewOf(description, input);
}

export async function listSchedules(deps: ScheduleDeps, principal: Principal): Promise<ScheduleView[]> {
  const client = await deps.temporal.client();
  const views: ScheduleView[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.type !== 'startWorkflow' || summary.action.workflowType !== SCHEDULED_WORKFLOW) continue;
    const view = await getSchedule(deps, principal, summary.scheduleId).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'not_found') return null;
      throw err;
    });
    if (view) views.push(view);
  }
  return views.sort((a, b) => a.id.localeCompare(b.id));
}

export async function updateSchedule(deps: ScheduleDeps, principal: Principal, id: string, patch: SchedulePatch) {
  const { handle, input } = await findSchedule(await deps.temporal.client(), id, principal);
  const definition = definitionOf({ ...input.definition, ...patch, job: patch.job ?? input.definition.job });
  await checkDefinition(deps, definition, input.owner);
  const runInput = { ...input, definition };
  await handle.update((previous) => ({ ...previous, ...temporalOptions(deps.config, runInput) }));
  return getSchedule(deps, principal, id);
}

export async function deleteSchedule(deps: ScheduleDeps, principal: Principal, id: string): Promise<void> {
  const { handle } = await findSchedule(await deps.temporal.client(), id, principal);
  await handle.delete();
}

export type ScheduleCommand =
  { kind: 'pause'; note: string } | { kind: 'unpause'; note: string } | { kind: 'trigger' } | BackfillCommand;
interface BackfillCommand {
  kind: 'backfill';
  start: string;
  end: string;
}

/** Pause or unpause (with a note), run now (under the schedule's overlap policy), or run a past time range. */
export async function commandSchedule(deps: ScheduleDeps, principal: Principal, id: string, command: ScheduleCommand) {
  const { handle } = await findSchedule(await deps.temporal.client(), id, principal);
  if (command.kind === 'pause') await handle.pause(command.note);
  else if (command.kind === 'unpause') await handle.unpause(command.note);
  else if (command.kind === 'trigger') await handle.trigger();
  else {
    const start = new Date(command.start);
    const end = new Date(command.end);
    if (end <= start) throw invalid('end', 'must be after start');
    // Every due time in the range runs, one after another.
    await handle.backfill([{ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL }]);
  }
  return getSchedule(deps, principal, id);
}
