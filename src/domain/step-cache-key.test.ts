import { createHash } from 'node:crypto';
import type { PlannedStep } from './execution-plan.ts';
import { canonicalJson, stepCacheMaterial, type KeyedInput } from './step-cache-key.ts';

const key = (
  step: PlannedStep,
  id: string,
  inputs: KeyedInput[] = [{ name: '$ID.in', sha256: 'aa', producerKey: null }],
) =>
  createHash('sha256')
    .update(stepCacheMaterial(step, id, inputs))
    .digest('hex');

const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';

function step(id: string, overrides: Partial<PlannedStep> = {}): PlannedStep {
  return {
    index: 0,
    stage: 0,
    taskName: 'count',
    taskVersion: '1',
    backend: 'local',
    taskQueue: 'backend.local',
    argv: ['wc', '-l', `${id}.in`],
    environment: { LANG: 'C' },
    inputEndings: ['.in'],
    outputEndings: ['.out'],
    stdoutName: `${id}.out`,
    customExitCodes: [],
    customExitBehaviour: 'fail',
    incompleteOutputs: 'fail',
    retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
    timeoutSeconds: null,
    rootPath: null,
    ...overrides,
  };
}

describe('step cache key', () => {
  it('is the same for two submissions of one step: the submission id is normalised out', () => {
    expect(key(step(A), A)).toBe(key(step(B), B));
  });

  it('ignores where and how persistently the step runs', () => {
    expect(key(step(A, { backend: 'gpu', taskQueue: 'backend.gpu', index: 3, stage: 2, timeoutSeconds: 60 }), A)).toBe(
      key(step(A), A),
    );
  });

  it.each<[string, Partial<PlannedStep>]>([
    ['a new task version', { taskVersion: '2' }],
    ['a changed command', { argv: ['wc', '-c', `${A}.in`] }],
    ['a changed environment', { environment: { LANG: 'en_GB.UTF-8' } }],
    ['a changed json parameter', { parameterFiles: [{ name: 'p.json', json: '{"a":1}' }] }],
  ])('changes with %s', (_what, overrides) => {
    expect(key(step(A, overrides), A)).not.toBe(key(step(A), A));
  });

  it('changes with an input, or with the key of the step that made it', () => {
    const base = key(step(A), A);
    expect(key(step(A), A, [{ name: '$ID.in', sha256: 'bb', producerKey: null }])).not.toBe(base);
    expect(key(step(A), A, [{ name: '$ID.in', sha256: 'aa', producerKey: 'k2' }])).not.toBe(base);
  });

  it('writes canonical JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });
});
