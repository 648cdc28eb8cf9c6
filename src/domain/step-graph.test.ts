import { ancestorsOf, findCycle, parentsOf, stepNames } from './step-graph.ts';

describe('step graph', () => {
  it('finds a cycle through after and returns it closed', () => {
    expect(findCycle([[2], [0], [1]])).toEqual([0, 1, 2, 0]);
  });

  it('finds no cycle in a diamond', () => {
    expect(findCycle([[], [0], [0], [1, 2]])).toBeUndefined();
  });

  it('lists every ancestor once, ascending', () => {
    expect(ancestorsOf([[], [0], [0], [1, 2], [3]])).toEqual([[], [0], [0], [0, 1, 2], [0, 1, 2, 3]]);
  });

  it('leaves unknown names in after out of the parents', () => {
    const steps = [
      { task: 't', ordering: 0 },
      { task: 'u', ordering: 1, after: ['t', 'ghost'] },
    ];
    expect(parentsOf(steps, stepNames(steps))).toEqual([[], [0]]);
  });

  it('does not give a derived name an explicit name already has', () => {
    expect(
      stepNames([
        { task: 'a', ordering: 0 },
        { task: 'b', ordering: 0, name: 'a' },
      ]),
    ).toEqual(['a-2', 'a']);
  });
});
