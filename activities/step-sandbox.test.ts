import { describeEnforcement, type Enforcement } from './limit-enforcement.ts';
import { limitHit, rlimitArgs } from './step-sandbox.ts';
import { NO_LIMITS } from '../src/domain/resource-limits.ts';

const limits = { cpuSeconds: 2, memoryBytes: 1 << 28, processes: 32, openFiles: 64, outputBytes: 1 << 20 };
const counters = { oomKills: 0, pidsRefused: 0, cpuSeconds: 0.1 };
const enforcement = (cgroups: Enforcement['cgroups'], prlimit = true): Enforcement => ({
  cgroups,
  prlimit,
  limits: describeEnforcement(cgroups, prlimit),
});

describe('limitHit', () => {
  it('names nothing while every counter is under its limit', () => {
    expect(limitHit(limits, counters, 100, { kind: 'exited', exitCode: 0 })).toBeUndefined();
  });

  it.each([
    ['memoryBytes', { ...counters, oomKills: 1 }, 0, undefined],
    ['processes', { ...counters, pidsRefused: 3 }, 0, undefined],
    ['cpuSeconds', { ...counters, cpuSeconds: 2.01 }, 0, undefined],
    ['cpuSeconds', counters, 0, { kind: 'signalled', signal: 'SIGXCPU' } as const],
    ['outputBytes', counters, 1 << 20, undefined],
    ['outputBytes', counters, 0, { kind: 'signalled', signal: 'SIGXFSZ' } as const],
  ])('names %s from its counter or signal', (name, seen, output, end) => {
    expect(limitHit(limits, seen, output, end)).toBe(name);
  });

  it('ignores counters of limits that are not set', () => {
    expect(limitHit(NO_LIMITS, { oomKills: 1, pidsRefused: 1, cpuSeconds: 99 }, 1 << 30)).toBeUndefined();
  });
});

describe('rlimitArgs', () => {
  it('sets CPU, open files and file size, leaving memory to the cgroup', () => {
    expect(rlimitArgs(limits, enforcement({ version: 'v1', memory: '/m', pids: '/p' }))).toEqual([
      '--cpu=2:3',
      '--nofile=64:64',
      '--fsize=1048576:1048576',
    ]);
  });

  it('falls back to the address-space rlimit for memory without a memory cgroup', () => {
    expect(rlimitArgs({ ...NO_LIMITS, memoryBytes: 1 << 28 }, enforcement(null))).toEqual([
      `--as=${1 << 28}:${1 << 28}`,
    ]);
  });

  it('sets nothing for a step without limits, so its command starts without prlimit', () => {
    expect(rlimitArgs(NO_LIMITS, enforcement(null))).toEqual([]);
  });

  it('sets nothing without prlimit', () => {
    expect(rlimitArgs(limits, enforcement(null, false))).toEqual([]);
  });
});

describe('describeEnforcement', () => {
  it('says which limits go unenforced on a host with neither cgroups nor prlimit', () => {
    expect(describeEnforcement(null, false)).toEqual({
      cpuSeconds: 'not enforced',
      memoryBytes: 'not enforced',
      processes: 'not enforced',
      openFiles: 'not enforced',
      outputBytes: 'work directory watch',
      wallClockSeconds: 'timer',
    });
  });

  it('names cgroup v2 for every controller', () => {
    expect(describeEnforcement({ version: 'v2', root: '/sys/fs/cgroup/x' }, true)).toMatchObject({
      cpuSeconds: 'cgroup v2 CPU accounting + rlimit CPU per process',
      memoryBytes: 'cgroup v2 memory',
      processes: 'cgroup v2 pids',
    });
  });
});
