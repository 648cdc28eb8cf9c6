import {
  COMMAND_FAILED,
  COMMAND_KILLED,
  COMMAND_LIMIT_EXCEEDED,
  COMMAND_TIMED_OUT,
  type ExitPolicy,
} from './execution-plan.ts';
import { decideExit, type ExitDecision, type ProcessEnd } from './exit-policy.ts';

type StepPolicy = Parameters<typeof decideExit>[0];

function step(overrides: Partial<StepPolicy> = {}): StepPolicy {
  return {
    argv: ['/opt/tool', '-x'],
    customExitCodes: [],
    customExitBehaviour: 'fail',
    incompleteOutputs: 'fail',
    retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
    timeoutSeconds: 30,
    ...overrides,
  };
}

const exited = (exitCode: number): ProcessEnd => ({ kind: 'exited', exitCode });
const done = (outcome: 'continue' | 'terminate', exitCode: number, message: string): ExitDecision => ({
  kind: 'done',
  outcome,
  exitCode,
  stepStatus: 'complete',
  message,
});
const failed = (exitCode: number | null, message: string, retryable = false, failureType = COMMAND_FAILED) => ({
  kind: 'failed',
  retryable,
  failureType,
  exitCode,
  stepStatus: 'error',
  message,
});

describe('decideExit', () => {
  it('completes a step that exits 0 with every output', () => {
    expect(decideExit(step(), exited(0), [])).toEqual(done('continue', 0, 'Completed'));
  });

  it('fails a step over a limit with the limit named, final unless the retry policy names that limit', () => {
    const end: ProcessEnd = { kind: 'limit-exceeded', limit: 'memoryBytes', message: 'memory limit 256 MiB exceeded' };
    expect(decideExit(step(), end, [])).toEqual(
      failed(null, 'memory limit 256 MiB exceeded', false, COMMAND_LIMIT_EXCEEDED),
    );
    const retry = { ...step().retry, retryableLimits: ['memoryBytes' as const] };
    expect(decideExit(step({ retry }), end, [])).toEqual(
      failed(null, 'memory limit 256 MiB exceeded', true, COMMAND_LIMIT_EXCEEDED),
    );
    const other = { ...step().retry, retryableLimits: ['cpuSeconds' as const] };
    expect(decideExit(step({ retry: other }), end, [])).toMatchObject({ kind: 'failed', retryable: false });
  });

  it('reports a command that could not start as invalid configuration, never retried', () => {
    expect(decideExit(step(), { kind: 'spawn-failed', message: 'ENOENT' }, [])).toEqual({
      kind: 'config-invalid',
      exitCode: null,
      stepStatus: 'error',
      message: 'could not start /opt/tool: ENOENT',
    });
  });

  it('fails a timed-out or killed command as retryable, whatever the outputs and policies', () => {
    const lenient = step({ customExitBehaviour: 'continue', incompleteOutputs: 'continue' });
    expect(decideExit(lenient, { kind: 'timed-out' }, ['.out'])).toEqual(
      failed(null, 'timed out after 30 s', true, COMMAND_TIMED_OUT),
    );
    expect(decideExit(lenient, { kind: 'signalled', signal: 'SIGKILL' }, [])).toEqual(
      failed(null, 'killed by SIGKILL', true, COMMAND_KILLED),
    );
  });

  it("fails a step a scheduler's time limit ended, naming it, never retried", () => {
    const retrying = step({ retry: { ...step().retry, retryableLimits: ['memoryBytes', 'cpuSeconds'] } });
    const end: ProcessEnd = {
      kind: 'limit-exceeded',
      limit: 'wallClock',
      message: 'Slurm time limit of 1 min exceeded (job 7)',
    };
    expect(decideExit(retrying, end, [])).toEqual(
      failed(null, 'Slurm time limit of 1 min exceeded (job 7)', false, COMMAND_LIMIT_EXCEEDED),
    );
  });

  it('fails a non-zero exit, retryable only for the codes the retry policy lists', () => {
    const retrying = step({ retry: { ...step().retry, retryableExitCodes: [75] } });
    expect(decideExit(retrying, exited(75), [])).toEqual(failed(75, 'exited with code 75', true));
    expect(decideExit(retrying, exited(1), [])).toEqual(failed(1, 'exited with code 1'));
    // Missing outputs do not change a failure: the exit code is reported, not the outputs.
    expect(decideExit(step({ incompleteOutputs: 'continue' }), exited(2), ['.out'])).toEqual(
      failed(2, 'exited with code 2'),
    );
  });

  describe('a custom exit code', () => {
    const custom = (customExitBehaviour: ExitPolicy, incompleteOutputs: ExitPolicy = 'fail') =>
      step({ customExitCodes: [3, 500], customExitBehaviour, incompleteOutputs });

    it('fails the step under "fail", never retried even when the retry policy lists it', () => {
      const retrying = step({
        customExitCodes: [3],
        customExitBehaviour: 'fail',
        retry: { ...step().retry, retryableExitCodes: [3] },
      });
      expect(decideExit(retrying, exited(3), [])).toEqual(failed(3, 'failed: exit code 3'));
    });

    it('stops the job early under "terminate", outputs missing or not', () => {
      expect(decideExit(custom('terminate'), exited(3), [])).toEqual(
        done('terminate', 3, 'Job stopped early: exit code 3'),
      );
      expect(decideExit(custom('terminate'), exited(500), ['.out'])).toEqual(
        done('terminate', 500, 'Job stopped early: exit code 500'),
      );
    });

    it('continues under "continue" when every output is there', () => {
      expect(decideExit(custom('continue'), exited(3), [])).toEqual(done('continue', 3, 'Continued after exit code 3'));
    });

    it.each([
      ['fail', failed(3, 'failed: missing outputs .ss, .horiz')],
      ['terminate', done('terminate', 3, 'Job stopped early: missing outputs .ss, .horiz')],
      ['continue', done('continue', 3, 'Continued after missing outputs .ss, .horiz')],
    ] as const)(
      'under "continue" with outputs missing, answers to incompleteOutputs "%s"',
      (incompleteOutputs, expected) => {
        expect(decideExit(custom('continue', incompleteOutputs), exited(3), ['.ss', '.horiz'])).toEqual(expected);
      },
    );

    it('means nothing for exit code 0, which is always success', () => {
      expect(decideExit(step({ customExitCodes: [0], customExitBehaviour: 'fail' }), exited(0), [])).toEqual(
        done('continue', 0, 'Completed'),
      );
    });
  });

  describe('missing outputs after exit code 0', () => {
    it.each([
      ['fail', failed(0, 'failed: missing outputs .out')],
      ['terminate', done('terminate', 0, 'Job stopped early: missing outputs .out')],
      ['continue', done('continue', 0, 'Continued after missing outputs .out')],
    ] as const)('follow incompleteOutputs "%s"', (incompleteOutputs, expected) => {
      expect(decideExit(step({ incompleteOutputs }), exited(0), ['.out'])).toEqual(expected);
    });

    it('are never retried, even when the retry policy lists code 0', () => {
      const retrying = step({ retry: { ...step().retry, retryableExitCodes: [0] } });
      expect(decideExit(retrying, exited(0), ['.out'])).toMatchObject({ kind: 'failed', retryable: false });
    });
  });
});
