import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LimitName } from '../src/domain/resource-limits.ts';
import { sweepOrphanCgroups } from './cgroup-sweep.ts';
import { detectCgroups, type CgroupSupport } from './cgroups.ts';

/** How this worker enforces each limit, as its start-up log and `GET /api/v1/backends/{name}` show it. */
export interface Enforcement {
  cgroups: CgroupSupport | null;
  /** Whether util-linux `prlimit` is there to set rlimits on the step's first process. */
  prlimit: boolean;
  /** Per limit, the mechanism in words, or "not enforced". */
  limits: Record<LimitName | 'wallClockSeconds', string>;
}

const NOT_ENFORCED = 'not enforced';

async function hasPrlimit(): Promise<boolean> {
  try {
    await promisify(execFile)('prlimit', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Words for the report; pure, so the rules are testable without a machine of each kind. */
export function describeEnforcement(cgroups: CgroupSupport | null, prlimit: boolean): Enforcement['limits'] {
  const v = cgroups ? `cgroup ${cgroups.version}` : null;
  const has = (controller: 'memory' | 'pids' | 'cpuacct') =>
    cgroups !== null && (cgroups.version === 'v2' || cgroups[controller] !== undefined);
  const join = (...ways: (string | false | null)[]) => ways.filter(Boolean).join(' + ') || NOT_ENFORCED;
  return {
    cpuSeconds: join(has('cpuacct') && `${v} CPU accounting`, prlimit && 'rlimit CPU per process'),
    memoryBytes: join(has('memory') ? `${v} memory` : prlimit && 'rlimit address space per process'),
    processes: join(has('pids') && `${v} pids`),
    openFiles: join(prlimit && 'rlimit NOFILE'),
    outputBytes: join(prlimit && 'rlimit FSIZE per file', 'work directory watch'),
    wallClockSeconds: 'timer',
  };
}

let detected: Promise<Enforcement> | undefined;

/** Detected once per process: what this host lets the worker enforce (and the step cgroups of dead workers swept). */
export function detectEnforcement(): Promise<Enforcement> {
  detected ??= Promise.all([detectCgroups().catch(() => null), hasPrlimit()]).then(async ([cgroups, prlimit]) => {
    if (cgroups) await sweepOrphanCgroups(cgroups).catch(() => {});
    return { cgroups, prlimit, limits: describeEnforcement(cgroups, prlimit) };
  });
  return detected;
}
