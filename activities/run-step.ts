import { mkdir, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { TMP_MARKER } from '../src/domain/command-template.ts';
import { STEP_CONFIG_INVALID, STEP_FAILED, type PlannedStep, type StepResult } from '../src/domain/execution-plan.ts';
import { decideExit } from '../src/domain/exit-policy.ts';
import { recordCancelled } from '../src/submissions/record-cancelled.ts';
import { markStepEnded, markStepRunning } from '../src/submissions/step-run-repository.ts';
import { runCommand } from './run-command.ts';
import { LocalCancels } from './local-cancels.ts';
import { forgetRunningGroup, recordRunningGroup, registryDir } from './running-step-registry.ts';
import { writeParameterFiles } from './parameter-files.ts';
import { fetchUrlInputIfAny } from './url-input.ts';
import { useStepCache } from './step-cache.ts';
import { collectOutputs, stageInputs } from './step-files.ts';
import { whileDatabaseDown } from './while-database-down.ts';

export interface RunStepInput {
  submissionId: string;
  step: PlannedStep;
}

/** The task activity every backend worker registers: one step of one submission, as a real process. */
export function createRunStepActivity({ db, config }: { db: Db; config: Config }) {
  const localCancels = new LocalCancels(db);
  return async function runStep({ submissionId, step }: RunStepInput): Promise<StepResult> {
    const ctx = Context.current();
    const host = hostname();
    const scheduledAt = new Date(ctx.info.currentAttemptScheduledTimestampMs);
    const about = { submissionId, step: step.index + 1, task: step.taskName };
    const { cancellationSignal: signal } = ctx;
    const tracked = localCancels.track(submissionId);
    // Heartbeats run for the whole step (staging inputs, waiting out a database outage): they carry the cancel in and the pid out.
    const details: { host: string; pid?: number } = { host };
    const heartbeat = setInterval(() => ctx.heartbeat(details), 1000);
    const registry = registryDir(config.dataDir);
    const workRoot = step.rootPath ?? config.workDir ?? path.join(config.dataDir, 'work');
    const workDir = path.resolve(workRoot, submissionId, `step-${step.index}-attempt-${ctx.info.attempt}`);
    try {
      // Bounded: with the database away the step goes on, and cancels come with heartbeats only.
      await Promise.race([localCancels.listen(), sleep(LISTEN_WAIT_MS, undefined, { ref: false })]);
      await whileDatabaseDown(signal, () =>
        markStepRunning(db, submissionId, step, ctx.info.attempt, host, scheduledAt),
      );
      log.info('step started', { ...about, host });
      await rm(workDir, { recursive: true, force: true });
      await mkdir(workDir, { recursive: true });
      await fetchUrlInputIfAny({ db, config }, submissionId, step, workDir, signal);
      const staged = await whileDatabaseDown(signal, () => stageInputs(db, submissionId, step, workDir));
      staged.push(...(await writeParameterFiles(step, workDir)));
      const cached = await whileDatabaseDown(signal, () => useStepCache(db, submissionId, step, staged, workDir));
      if (cached) {
        log.info('step cached', { ...about, message: cached.message });
        return cached;
      }
      const stderrName = `${submissionId}.stderr`;
      let registered: Promise<void> = Promise.resolve();
      const end = await runCommand({
        argv: step.argv.map((token) => token.replaceAll(TMP_MARKER, workDir)),
        cwd: workDir,
        env: { ...commandEnvironment(process.env), ...step.environment },
        stdoutPath: path.join(workDir, step.stdoutName),
        stderrPath: path.join(workDir, stderrName),
        timeoutMs: step.timeoutSeconds === null ? null : step.timeoutSeconds * 1000,
        // Temporal's cancel (on a heartbeat response) or the API's notice (LISTEN), whichever comes first.
        signal: AbortSignal.any([signal, tracked.signal]),
        graceMs: config.execution.cancelGraceSeconds * 1000,
        onSpawn: (pid) => {
          details.pid = pid;
          ctx.heartbeat(details);
          registered = recordRunningGroup(registry, { pgid: pid, submissionId, stepIndex: step.index }).catch(() => {});
        },
      });
      // runCommand returns once the group is gone, so it is no longer this worker's to answer for.
      if (details.pid !== undefined) await registered.then(() => forgetRunningGroup(registry, details.pid!));
      if (end.kind === 'aborted') {
        // Recorded the moment the group is gone (step and submission, one statement), not after the
        // workflow's round trip; a failure here leaves it to the workflow, which must hear the cancel regardless.
        await recordCancelled(db, submissionId, `Cancelled during step ${step.index + 1} (${step.taskName})`, {
          index: step.index,
        }).catch(() => markStepEnded(db, submissionId, step.index, 'cancelled', null, 'Cancelled').catch(() => {}));
        throw await temporalCancellation(ctx.cancellationSignal);
      }
      const collected = await whileDatabaseDown(signal, () =>
        collectOutputs(db, submissionId, step, workDir, staged, stderrName),
      );
      const decision = decideExit(step, end, collected.missingEndings);
      await whileDatabaseDown(signal, () =>
        markStepEnded(db, submissionId, step.index, decision.stepStatus, decision.exitCode, decision.message),
      );
      log.info('step ended', {
        ...about,
        status: decision.stepStatus,
        exitCode: decision.exitCode,
        message: decision.message,
      });
      if (decision.kind === 'done')
        return { outcome: decision.outcome, exitCode: decision.exitCode ?? 0, message: decision.message };
      if (decision.kind === 'config-invalid') {
        throw ApplicationFailure.create({ type: STEP_CONFIG_INVALID, message: decision.message, nonRetryable: true });
      }
      // The workflow allows extra attempts for lost workers; the task's own policy caps command attempts.
      const maxAttempts = step.retry.maximumAttempts;
      const retryable = decision.retryable && (maxAttempts <= 0 || ctx.info.attempt < maxAttempts);
      throw ApplicationFailure.create({
        type: retryable ? decision.failureType : STEP_FAILED,
        message: decision.message,
        nonRetryable: !retryable,
        details: [{ exitCode: decision.exitCode }],
      });
    } finally {
      tracked.release();
      clearInterval(heartbeat);
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

const LISTEN_WAIT_MS = 2000;
// Long enough for the workflow task that cancels the activity and the next heartbeat response.
const TEMPORAL_CANCEL_WAIT_MS = 30_000;

/**
 * What the activity throws once cancelled. A local notice comes before Temporal's own cancel; the
 * activity waits for it, so Temporal records the activity as cancelled, not failed (and retried).
 */
async function temporalCancellation(temporalSignal: AbortSignal): Promise<unknown> {
  if (!temporalSignal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, TEMPORAL_CANCEL_WAIT_MS);
      temporalSignal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  if (temporalSignal.aborted) return temporalSignal.reason;
  return ApplicationFailure.create({
    type: STEP_FAILED,
    message: 'Cancelled by request, but Temporal never cancelled the step',
    nonRetryable: true,
  });
}

// The worker's own secrets stay with the worker; tasks get the rest of its environment.
const WORKER_SECRETS = new Set([
  'DATABASE_URL',
  'ADMIN_TOKEN',
  'TEMPORAL_API_KEY',
  'SMTP_URL',
  'TEMPORAL_TLS_KEY_PATH',
]);

function commandEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !WORKER_SECRETS.has(e[0])),
  );
}
