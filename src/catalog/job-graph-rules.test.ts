import { checkJobGraph, type TaskFacts } from './job-graph-rules.ts';

const tasks = new Map<string, TaskFacts>([
  ['make', { inputs: [], outputs: ['.fa'], parameterFields: ['make_mode'] }],
  ['use', { inputs: ['.fa'], outputs: [], parameterFields: [] }],
]);

describe('job graph rules', () => {
  it('accepts a graph whose references all point upstream', () => {
    const steps = [
      { task: 'make', ordering: 0, when: [{ parameter: 'make_mode', equals: 'x' }] },
      { task: 'use', ordering: 1, inputs: [{ from: 'make/*.fa', as: 'I1' }], map: { files: 'make/*.fa' } },
    ];
    expect(checkJobGraph(steps.slice(0, 1), tasks)).toEqual([]);
    expect(checkJobGraph([steps[0]!, { task: 'use', ordering: 1, map: { files: 'make/*.fa' } }], tasks)).toEqual([]);
  });

  it('refuses an input slot the task does not have, and a map with input bindings', () => {
    const problems = checkJobGraph(
      [
        { task: 'make', ordering: 0 },
        { task: 'use', ordering: 1, inputs: [{ from: 'make/*.fa', as: 'I2' }], map: { lines: 'upload' } },
      ],
      tasks,
    );
    expect(problems.map((p) => p.path)).toEqual(['steps.1.inputs.0.as', 'steps.1.inputs']);
  });

  it('refuses a step that waits for itself', () => {
    expect(checkJobGraph([{ task: 'make', ordering: 0, after: ['make'] }], tasks)).toEqual([
      { path: 'steps.0.after.0', message: 'a step cannot wait for itself' },
    ]);
  });
});
