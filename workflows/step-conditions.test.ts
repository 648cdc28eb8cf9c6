import type { PlannedCondition } from '../src/domain/execution-plan.ts';
import { unmetCondition, type SettledStep } from './step-conditions.ts';

const parent: SettledStep = {
  name: 'count',
  status: 'complete',
  exitCode: 2,
  produced: { files: [{ name: 'x.fa', size: 10 }], values: { stats: { errors: 3 }, kind: 'json' } },
};
const check = (c: PlannedCondition) => unmetCondition([c], () => parent);

describe('step conditions', () => {
  it.each<[PlannedCondition, string | undefined]>([
    [{ parameter: 'p', equals: 'true', value: 'true' }, undefined],
    [{ parameter: 'p', equals: 'true', value: null }, 'parameter p is null, not "true"'],
    [{ step: 0, status: ['complete'] }, undefined],
    [{ step: 0, status: ['error', 'skipped'] }, 'count ended complete, not error or skipped'],
    [{ step: 0, exitCode: [0, 2] }, undefined],
    [{ step: 0, exitCode: [0] }, 'count exited with 2, not 0'],
    [{ step: 0, file: '*.fa' }, undefined],
    [{ step: 0, file: '*.fa', minBytes: 11 }, 'count produced no file matching *.fa of at least 11 bytes'],
    [{ step: 0, field: 'stats.errors', above: 2 }, undefined],
    [{ step: 0, field: 'stats.errors', above: 3 }, "count's stats.errors is 3, not above 3"],
    [{ step: 0, field: 'kind', equals: 'json' }, undefined],
    [{ step: 0, field: 'missing', equals: 1 }, "count's missing is missing, not 1"],
    [{ step: 0, field: 'constructor', equals: 'x' }, 'count\'s constructor is missing, not "x"'],
  ])('%j → %s', (condition, reason) => {
    expect(check(condition)).toBe(reason);
  });
});
