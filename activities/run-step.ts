import { mkdir, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { Context, log } from '@temporalio/activity';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { TMP_MARKER } from '../src/domain/command-template.ts';
import type { PlannedStep, StepResult } from '../src/domain/execution-plan.ts';
import { markStepRunning } from '../src/submissions/step-run-repository.ts';
import { NO_LIMITS } from '../src/domain/resource-limits.ts';
import { endCancelledStep, finishStep } from './finish-step.ts';
import { detectEnforcement } from './limit-enforcement.ts';
import { LocalCancels } from './local-cancels.ts';
import { forgetRunningGroup, recordRunningGroup, registryDir } from './running-step-registry.ts';
import { writeParameterFiles } from './parameter-files.ts';
import { writeScriptFiles } from './script-task.ts';
import { useStepCache } from './step-cache.ts';
import { stepEnvironment } from './step-environment.ts';
import { stageInputs } from './step-files.ts';
import { runSandboxed } from './step-sandbox.ts';
import { fetchUrlInputIfAny } from './url-input.ts';
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
    const workDir = path.resolve(
      stepWorkRoot(step, config),
      submissionId,
      `step-${step.index}-attempt-${ctx.info.attempt}`,
    );
    try {
      // Bounded: with the database away the step goes on, and cancels come with heartbeats only.
      await Promise.race([localCancels.listen(), sleep(LISTEN_WAIT_MS, undefined, { ref: false })]);
      await whileDatabaseDown(signal, () =>
        markStepRunning(db, submissionId, step, ctx.info.attempt, host, scheduledAt),
      );
      log.info('step started', { ...about, host });
      await rm(workDir, { recursive: true, force: true });
      await mkdir(workDir, { recursive: true, mode: 0o700 });
      await fetchUrlInputIfAny({ db, config }, submissionId, step, workDir, signal);
      const inputs = await whileDatabaseDown(signal, () => stageInputs(db, submissionId, step, workDir));
      const script = await whileDatabaseDown(signal, () => writeScriptFiles(db, submissionId, step, workDir));
      const staged = [...inputs, ...script.files, ...(await writeParameterFiles(step, workDir))];
      const { key: cacheKey, cached } = await whileDatabaseDown(signal, () =>
        useStepCache(db, submissionId, step, staged, workDir),
      );
      if (cached) {
        log.info('step cached', { ...about, message: cached.message });
        return cached;
      }
      const stderrName = `${submissionId}.stderr`;
      let registered: Promise<void> = Promise.resolve();
      const end = await runSandboxed({
        argv: step.argv.map((token) => token.replaceAll(TMP_MARKER, workDir)),
        cwd: workDir,
        env: stepEnvironment(process.env, workDir, { ...step.environment, ...script.environment }),
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
        sandbox: {
          limits: step.limits ?? NO_LIMITS,
          enforcement: await detectEnforcement(),
          name: `${submissionId}-${step.index}-${ctx.info.attempt}`,
          workDir,
          ours: new Set(staged),
          keepFirst: [stderrName, step.stdoutName],
        },
      });
      // runCommand returns once the group is gone, so it is no longer this worker's to answer for.
      const forgotten =
        details.pid === undefined ? undefined : registered.then(() => forgetRunningGroup(registry, details.pid!));
      // A cancel is recorded first: the processes are dead, the file is bookkeeping.
      if (end.kind === 'aborted') {
        const cancelled = endCancelledStep(db, submissionId, step);
        await forgotten;
        throw await cancelled;
      }
      await forgotten;
      return await finishStep({ db, submissionId, step, workDir, staged, stderrName, end, cacheKey });
    } finally {
      tracked.release();
      clearInterval(heartbeat);
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

const LISTEN_WAIT_MS = 2000;

/** Where a step's files live: the backend's root, else the worker's work dir, else under its data dir. */
export function stepWorkRoot(step: PlannedStep, config: Config): string {
  return step.rootPath ?? config.workDir ?? path.join(config.dataDir, 'work');
}
