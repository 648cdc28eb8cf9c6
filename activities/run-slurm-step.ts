import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, Context, log } from '@temporalio/activity';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { TMP_MARKER } from '../src/domain/command-template.ts';
import { STEP_CONFIG_INVALID, type PlannedStep, type StepResult } from '../src/domain/execution-plan.ts';
import type { ProcessEnd } from '../src/domain/exit-policy.ts';
import {
  batchScript,
  describeActiveJob,
  disallowedOptions,
  interpretJobEnd,
  isActiveState,
  NO_SLURM_REQUESTS,
  sbatchDirectives,
  type SlurmBackendSettings,
  type SlurmJobState,
  type SlurmRequests,
} from '../src/domain/slurm-job.ts';
import { markStepProgress, markStepRunning } from '../src/submissions/step-run-repository.ts';
import { endCancelledStep, finishStep } from './finish-step.ts';
import { LocalCancels } from './local-cancels.ts';
import { stepWorkRoot, type RunStepInput } from './run-step.ts';
import { writeScriptFiles } from './script-task.ts';
import { stepEnvironment } from './step-environment.ts';
import { activeJobsNamed, jobState, sbatch, scancel, slurmClientEnvironment } from './slurm-commands.ts';
import { writeParameterFiles } from './parameter-files.ts';
import { stageInputs } from './step-files.ts';
import { fetchUrlInputIfAny } from './url-input.ts';
import { whileDatabaseDown } from './while-database-down.ts';

/** A step's Slurm job, recorded on the shared file system before and after sbatch. */
interface JobRecord {
  /** Part of the job's name, so the job of this attempt is told apart from an earlier attempt's. */
  nonce: string;
  jobId: string | null;
  staged: string[];
}

export const SLURM_JOB_LOST = 'SlurmJobLost';
const LISTEN_WAIT_MS = 2000;

/**
 * The task activity of a slurm backend: the step runs as a Slurm batch job, in a work dir on the
 * file system the worker shares with the compute nodes. The job is recorded there, so an attempt
 * that follows a lost worker follows the same job instead of submitting a second copy.
 */
export function createRunSlurmStepActivity({
  db,
  config,
  settings,
}: {
  db: Db;
  config: Config;
  settings: SlurmBackendSettings;
}) {
  const localCancels = new LocalCancels(db);
  const pollMs = config.execution.slurmPollMilliseconds;
  return async function runStep({ submissionId, step }: RunStepInput): Promise<StepResult> {
    const ctx = Context.current();
    const host = hostname();
    const tracked = localCancels.track(submissionId);
    const details: { host: string; slurmJobId?: string } = { host };
    const heartbeat = setInterval(() => ctx.heartbeat(details), 1000);
    const stepDir = path.resolve(stepWorkRoot(step, config), submissionId, `step-${step.index}`);
    const workDir = path.join(stepDir, 'work');
    const recordPath = path.join(stepDir, 'slurm-job.json');
    const stderrName = `${submissionId}.stderr`;
    // Set once the job's end has been judged (or it never started): only then are its files gone.
    let settled = false;
    try {
      await Promise.race([localCancels.listen(), sleep(LISTEN_WAIT_MS, undefined, { ref: false })]);
      await whileDatabaseDown(ctx.cancellationSignal, () =>
        markStepRunning(
          db,
          submissionId,
          step,
          ctx.info.attempt,
          host,
          new Date(ctx.info.currentAttemptScheduledTimestampMs),
        ),
      );
      let record = await readRecord(recordPath);
      if (record?.jobId === null)
        record = await adoptJob(record, jobName(submissionId, step, record.nonce), recordPath);
      if (record === undefined || record.jobId === null) {
        settled = true;
        record = await submitJob({
          db,
          config,
          settings,
          step,
          submissionId,
          stepDir,
          workDir,
          recordPath,
          stderrName,
          record,
        });
        settled = false;
      } else {
        log.info('following the Slurm job of an earlier attempt', {
          submissionId,
          step: step.index + 1,
          job: record.jobId,
        });
      }
      const jobId = record.jobId!;
      details.slurmJobId = jobId;
      ctx.heartbeat(details);
      const followed = await followJob(
        jobId,
        AbortSignal.any([ctx.cancellationSignal, tracked.signal]),
        pollMs,
        (text) => markStepProgress(db, submissionId, step.index, text, jobId).catch(() => {}),
      );
      // Leaving on shutdown: the job runs on, and the next attempt follows it.
      if (followed.kind === 'shutdown') throw ctx.cancellationSignal.reason;
      settled = true;
      const end = await judge(jobId, followed, step, path.join(workDir, stderrName));
      if (end.kind === 'aborted') throw await endCancelledStep(db, submissionId, step);
      if (end.kind === 'lost') {
        throw ApplicationFailure.create({ type: SLURM_JOB_LOST, message: end.message, nonRetryable: false });
      }
      return await finishStep({ db, submissionId, step, workDir, staged: record.staged, stderrName, end });
    } finally {
      tracked.release();
      clearInterval(heartbeat);
      if (settled) await rm(stepDir, { recursive: true, force: true });
    }
  };
}

/**
 * The task's Slurm requests, its memory limit as --mem where it asks for no memory itself: on a
 * cluster, Slurm enforces the limits it can, and the step names Slurm's when it is hit.
 */
function slurmRequestsOf(step: PlannedStep): SlurmRequests {
  const requests = step.slurm ?? NO_SLURM_REQUESTS;
  const memoryBytes = step.limits?.memoryBytes ?? null;
  if (requests.memoryMiB !== null || memoryBytes === null) return requests;
  return { ...requests, memoryMiB: Math.ceil(memoryBytes / MIB) };
}

const MIB = 1024 * 1024;

function jobName(submissionId: string, step: PlannedStep, nonce: string): string {
  return `aa-${submissionId}-${step.index}-${nonce}`;
}

async function readRecord(recordPath: string): Promise<JobRecord | undefined> {
  const text = await readFile(recordPath, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as JobRecord);
}

async function writeRecord(recordPath: string, record: JobRecord): Promise<JobRecord> {
  await writeFile(`${recordPath}.tmp`, JSON.stringify(record));
  await rm(recordPath, { force: true });
  await writeFile(recordPath, JSON.stringify(record));
  await rm(`${recordPath}.tmp`, { force: true });
  return record;
}

/** An attempt that died between sbatch and recording its answer: its job is found by its name. */
async function adoptJob(record: JobRecord, name: string, recordPath: string): Promise<JobRecord> {
  const [jobId] = await activeJobsNamed(name);
  return jobId === undefined ? record : writeRecord(recordPath, { ...record, jobId });
}

async function submitJob(s: {
  db: Db;
  config: Config;
  settings: SlurmBackendSettings;
  step: PlannedStep;
  submissionId: string;
  stepDir: string;
  workDir: string;
  recordPath: string;
  stderrName: string;
  record: JobRecord | undefined;
}): Promise<JobRecord> {
  const { db, settings, step, submissionId, workDir, stderrName } = s;
  const requests = slurmRequestsOf(step);
  const refused = disallowedOptions(requests, settings.allowedOptions);
  if (refused.length > 0) {
    throw ApplicationFailure.create({
      type: STEP_CONFIG_INVALID,
      message: `sbatch options ${refused.join(', ')} are not allowed on backend ${step.backend}`,
      nonRetryable: true,
    });
  }
  const signal = Context.current().cancellationSignal;
  let record = s.record;
  let inputs: string[] = [];
  if (record === undefined) {
    await rm(s.stepDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    await fetchUrlInputIfAny({ db, config: s.config }, submissionId, step, workDir, signal);
    inputs = await whileDatabaseDown(signal, () => stageInputs(db, submissionId, step, workDir));
    inputs.push(...(await writeParameterFiles(step, workDir)));
  }
  // A script task's files (written again, identically, for a job an earlier attempt began to submit).
  const scriptFiles = await whileDatabaseDown(signal, () => writeScriptFiles(db, submissionId, step, workDir));
  record ??= await writeRecord(s.recordPath, {
    nonce: randomBytes(4).toString('hex'),
    jobId: null,
    staged: [...inputs, ...scriptFiles.files],
  });
  const script = path.join(s.stepDir, 'batch.sh');
  const directives = sbatchDirectives(
    jobName(submissionId, step, record.nonce),
    step.timeoutSeconds,
    requests,
    settings,
  );
  await writeFile(script, batchScript(directives), { mode: 0o755 });
  const jobId = await sbatch({
    script,
    argv: step.argv.map((token) => token.replaceAll(TMP_MARKER, workDir)),
    workDir,
    stdoutPath: path.join(workDir, step.stdoutName),
    stderrPath: path.join(workDir, stderrName),
    // The step's own clean environment, plus what Slurm's commands need to find the cluster.
    env: {
      ...stepEnvironment(process.env, workDir, { ...step.environment, ...scriptFiles.environment }),
      ...slurmClientEnvironment(process.env),
    },
  });
  log.info('step submitted to Slurm', { submissionId, step: step.index + 1, job: jobId });
  const written = await writeRecord(s.recordPath, { ...record, jobId });
  // Its id in the step's messages from the start: a short job may end before any poll sees it run.
  await markStepProgress(db, submissionId, step.index, `Slurm job ${jobId} submitted`, jobId).catch(() => {});
  return written;
}

type Followed =
  { kind: 'ended'; job: SlurmJobState; cancelRequested: boolean } | { kind: 'vanished' } | { kind: 'shutdown' };

const isShutdown = (signal: AbortSignal) =>
  signal.aborted && signal.reason instanceof CancelledFailure && signal.reason.message === 'WORKER_SHUTDOWN';

/**
 * Polls the job until Slurm reports it over. A cancel becomes scancel, then faster polls until the
 * job, and every process of it, is gone (COMPLETING lasts while processes still end). A worker
 * shutting down stops following and leaves the job to the next attempt.
 */
async function followJob(
  jobId: string,
  signal: AbortSignal,
  pollMs: number,
  onProgress: (text: string) => Promise<void>,
): Promise<Followed> {
  let cancelRequested = false;
  let shown = '';
  for (;;) {
    if (isShutdown(signal)) return { kind: 'shutdown' };
    if (signal.aborted && !cancelRequested) {
      await scancel(jobId);
      cancelRequested = true;
    }
    const job = await jobState(jobId);
    if (job === undefined) return { kind: 'vanished' };
    if (!isActiveState(job.state)) return { kind: 'ended', job, cancelRequested };
    const text = describeActiveJob(jobId, job);
    if (text !== shown) await onProgress((shown = text));
    const wait = cancelRequested ? CANCEL_POLL_MS : pollMs;
    await sleep(wait, undefined, cancelRequested ? {} : { signal }).catch(() => {});
  }
}

const CANCEL_POLL_MS = 100;

type Judged = ProcessEnd | { kind: 'aborted' } | { kind: 'lost'; message: string };

/** What the job's end means for the step (src/domain/slurm-job.ts has the rules). */
async function judge(jobId: string, followed: Followed, step: PlannedStep, stderrPath: string): Promise<Judged> {
  if (followed.kind !== 'ended') return { kind: 'lost', message: `Slurm no longer knows job ${jobId}` };
  const stderr = await readFile(stderrPath, 'utf8').catch(() => '');
  const memoryKilled = /Exceeded job memory limit/.test(stderr.slice(-64 * 1024));
  const limits = { timeoutSeconds: step.timeoutSeconds, memoryMiB: slurmRequestsOf(step).memoryMiB };
  const end = interpretJobEnd(jobId, followed.job, limits, memoryKilled);
  switch (end.kind) {
    case 'cancelled':
      if (followed.cancelRequested) return { kind: 'aborted' };
      return { kind: 'signalled', signal: `Slurm (job ${jobId} was cancelled outside this system)` };
    case 'infrastructure':
      return { kind: 'lost', message: end.message };
    default:
      return end;
  }
}
