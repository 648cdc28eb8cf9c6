import {
  batchScript,
  describeActiveJob,
  disallowedOptions,
  interpretJobEnd,
  isActiveState,
  NO_SLURM_REQUESTS,
  parseScontrolJob,
  sbatchDirectives,
  wallTimeMinutes,
} from './slurm-job.ts';

const BACKEND = { partition: 'debug', account: 'lab', qos: null, allowedOptions: ['--constraint'] };
const LINE =
  'JobId=42 JobName=aa-x UserId=root(0) JobState=PENDING Reason=Resources Dependency=(null) ExitCode=0:0 NodeList=(null) BatchHost=vm Command=/a b';

describe('sbatch directives', () => {
  it("take the task's requests, the backend's defaults where the task has none, and the timeout in whole minutes", () => {
    const requests = {
      ...NO_SLURM_REQUESTS,
      cpus: 4,
      memoryMiB: 2048,
      gpus: 1,
      qos: 'high',
      sbatchOptions: ['--constraint=avx2'],
    };
    expect(sbatchDirectives('aa-1', 61, requests, BACKEND)).toEqual([
      '#SBATCH --job-name=aa-1',
      '#SBATCH --partition=debug',
      '#SBATCH --account=lab',
      '#SBATCH --qos=high',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=2048M',
      '#SBATCH --gpus=1',
      '#SBATCH --time=2',
      '#SBATCH --constraint=avx2',
    ]);
  });

  it('ask for nothing beyond the name when neither task nor backend says more', () => {
    const bare = { partition: null, account: null, qos: null, allowedOptions: [] };
    expect(sbatchDirectives('aa-2', null, NO_SLURM_REQUESTS, bare)).toEqual(['#SBATCH --job-name=aa-2']);
  });

  it('never give a limit shorter than the timeout', () => {
    expect([1, 59, 60, 61, 3600].map(wallTimeMinutes)).toEqual([1, 1, 1, 2, 60]);
  });

  it('refuse options the backend does not allow, by name', () => {
    const requests = { ...NO_SLURM_REQUESTS, sbatchOptions: ['--constraint=avx2', '--exclusive', '--nice=5'] };
    expect(disallowedOptions(requests, BACKEND.allowedOptions)).toEqual(['--exclusive', '--nice=5']);
  });
});

describe('the batch script', () => {
  it('execs its arguments as given: no parameter is ever part of the script text', () => {
    const script = batchScript(['#SBATCH --job-name=aa-1']);
    expect(script.split('\n')[0]).toBe('#!/bin/sh');
    expect(script).toContain('#SBATCH --job-name=aa-1\n');
    expect(script.trimEnd().split('\n').at(-1)).toBe('exec "$@"');
  });
});

describe("Slurm's answers", () => {
  it('parse the state, reason, exit code, signal and node of scontrol -o', () => {
    expect(parseScontrolJob(LINE)).toEqual({
      state: 'PENDING',
      reason: 'Resources',
      exitCode: 0,
      signal: 0,
      node: 'vm',
    });
    expect(parseScontrolJob('JobState=FAILED ExitCode=3:0 NodeList=(null)')).toMatchObject({ exitCode: 3, node: null });
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified')).toBeUndefined();
  });

  it('count COMPLETING as active: processes of the job may still be alive', () => {
    expect(['PENDING', 'RUNNING', 'COMPLETING', 'SUSPENDED'].every(isActiveState)).toBe(true);
    expect(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL'].some(isActiveState)).toBe(
      false,
    );
  });

  it('describe a waiting job with its reason and a running one with its node', () => {
    const job = parseScontrolJob(LINE)!;
    expect(describeActiveJob('42', job)).toBe('Slurm job 42 PENDING (Resources)');
    expect(describeActiveJob('42', { ...job, state: 'RUNNING' })).toBe('Slurm job 42 RUNNING on vm');
  });
});

describe('the end of a job', () => {
  const limits = { timeoutSeconds: 90, memoryMiB: 256 };
  const job = (state: string, exitCode = 0, signal = 0) => ({ state, reason: 'None', exitCode, signal, node: 'vm' });

  it("is the command's exit code when it completed or failed on its own", () => {
    expect(interpretJobEnd('7', job('COMPLETED'), limits, false)).toEqual({ kind: 'exited', exitCode: 0 });
    expect(interpretJobEnd('7', job('FAILED', 3), limits, false)).toEqual({ kind: 'exited', exitCode: 3 });
  });

  it("names Slurm's time and memory limits with their values", () => {
    expect(interpretJobEnd('7', job('TIMEOUT'), limits, false)).toEqual({
      kind: 'limit-exceeded',
      limit: 'wallClock',
      message: 'Slurm time limit of 2 min exceeded (job 7)',
    });
    const oom = {
      kind: 'limit-exceeded',
      limit: 'memoryBytes',
      message: 'Slurm memory limit of 256 MiB exceeded (job 7)',
    };
    expect(interpretJobEnd('7', job('OUT_OF_MEMORY'), limits, false)).toEqual(oom);
    // Memory enforced by accounting: FAILED by SIGKILL, with slurmstepd's note in the error file.
    expect(interpretJobEnd('7', job('FAILED', 0, 9), limits, true)).toEqual(oom);
  });

  it("is the cluster's failure, worth another attempt, when a node fails or the job is preempted", () => {
    expect(interpretJobEnd('7', job('NODE_FAIL'), limits, false)).toEqual({
      kind: 'infrastructure',
      message: 'Slurm job 7 ended NODE_FAIL',
    });
    expect(interpretJobEnd('7', job('PREEMPTED'), limits, false).kind).toBe('infrastructure');
  });

  it('is a kill by a signal otherwise, and a cancel when Slurm says CANCELLED', () => {
    expect(interpretJobEnd('7', job('FAILED', 0, 15), limits, false)).toEqual({
      kind: 'signalled',
      signal: 'signal 15 (Slurm job 7 FAILED)',
    });
    expect(interpretJobEnd('7', job('CANCELLED'), limits, false)).toEqual({ kind: 'cancelled' });
  });
});
