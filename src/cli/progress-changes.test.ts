import { sampleStep, sampleView } from '../../test/helpers/sample-submission-view.ts';
import { describeChanges, finalLine } from './progress-changes.ts';

describe('describeChanges', () => {
  it('introduces the submission and the steps that have started on the first reading', () => {
    expect(describeChanges(null, sampleView())).toEqual([
      'submission 0b6f3c2e-1d2a-4c55-9a77-2f1e4d5c6b7a (job psipred, "my run"): running',
      'step 1/3: blast on backend cpu: complete',
      'step 2/3: psipred on backend gpu: running (attempt 2)',
    ]);
  });

  it('tells only the steps that moved, and a retry as a move', () => {
    const before = sampleView();
    const after = sampleView({}, [
      before.stages[0]!.steps,
      [
        sampleStep(1, 'psipred', { backend: 'gpu', status: 'running', attempt: 3 }),
        sampleStep(2, 'disopred', { status: 'running', attempt: 1 }),
      ],
    ]);
    expect(describeChanges(before, after)).toEqual([
      'step 2/3: psipred on backend gpu: running (attempt 3)',
      'step 3/3: disopred on backend cpu: running',
    ]);
    expect(describeChanges(after, after)).toEqual([]);
  });

  it('tells a status change while running, and leaves the end to finalLine', () => {
    const submitted = sampleView({ status: 'submitted' }, [[sampleStep(0, 'blast')]]);
    expect(describeChanges(submitted, { ...submitted, status: 'running' })).toEqual(['submission running']);
    const failed = sampleView({ status: 'error', lastMessage: 'step 1 (blast) failed: exit 2' }, [
      [sampleStep(0, 'blast', { status: 'error', attempt: 1, exitCode: 2, message: 'exit status 2' })],
    ]);
    expect(describeChanges(submitted, failed)).toEqual([
      'step 1/1: blast on backend cpu: error (exit 2): exit status 2',
    ]);
    expect(finalLine(failed)).toBe('submission error: step 1 (blast) failed: exit 2');
  });
});

describe('finalLine', () => {
  it('points a complete submission to its results', () => {
    const view = sampleView({
      status: 'complete',
      lastMessage: 'Completed',
      files: [
        { id: 'a', name: 'in.txt', kind: 'input', task: null, step: null, size: 1, sha256: 'x', url: '/u' },
        { id: 'b', name: 'out.txt', kind: 'result', task: 'blast', step: 0, size: 1, sha256: 'y', url: '/v' },
      ],
    });
    expect(finalLine(view)).toBe(`submission complete: Completed (1 result files: aa results ${view.id} -o DIR)`);
  });
});
