import { checkNesting, innerJobsFirst, type StoredNesting } from './job-nesting-rules.ts';

const stored = (runs: Record<string, string[]>, maps: string[] = []): StoredNesting => ({
  runs: new Map(Object.entries(runs)),
  maps: new Set(maps),
  exists: (job) => ['a', 'b', 'c', 'plain', 'mapper'].includes(job),
});

describe('job nesting rules', () => {
  it('accepts a job that runs a plain job', () => {
    expect(checkNesting('a', [{ job: 'plain', ordering: 0 }], stored({}))).toEqual([]);
  });

  it('names the cycle through another job', () => {
    expect(checkNesting('b', [{ job: 'a', ordering: 0 }], stored({ a: ['b'] }))[0]).toEqual({
      path: 'steps.0.job',
      message: 'cycle: b → a → b',
    });
  });

  it('refuses a second level of nesting from either end', () => {
    expect(checkNesting('c', [{ job: 'mapper', ordering: 0 }], stored({}, ['mapper']))[0]!.message).toContain(
      'runs a map itself',
    );
    expect(checkNesting('plain', [{ job: 'b', ordering: 0 }], stored({ a: ['plain'] }))[0]!.message).toContain(
      'is run as a step by a',
    );
  });

  it('refuses an unknown job', () => {
    expect(checkNesting('a', [{ job: 'ghost', ordering: 0 }], stored({}))).toEqual([
      { path: 'steps.0.job', message: 'no job named "ghost"' },
    ]);
  });

  it('orders the jobs that run none first, keeping each index', () => {
    const jobs: { name: string; steps: { job?: string; task?: string }[] }[] = [
      { name: 'outer', steps: [{ job: 'inner' }] },
      { name: 'inner', steps: [{ task: 't' }] },
    ];
    expect(innerJobsFirst(jobs).map(([i, j]) => `${i}:${j.name}`)).toEqual(['1:inner', '0:outer']);
  });
});
