import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-paths.ts';

const execFileAsync = promisify(execFile);
let slurmConf: string | undefined;

// Given explicitly: jest's sandboxed process.env is not what child_process hands on by default.
const run = (file: string, args: string[], timeout = 30_000) =>
  execFileAsync(file, args, { timeout, env: { ...process.env, ...(slurmConf ? { SLURM_CONF: slurmConf } : {}) } });

/**
 * The machine's single-node Slurm cluster, started by scripts/start-slurm.sh when it is not running
 * yet. Sets SLURM_CONF for this process, so in-process workers and the test's own squeue find it.
 */
export async function startSlurmCluster(): Promise<string> {
  const { stdout } = await run('bash', [path.join(PROJECT_ROOT, 'scripts', 'start-slurm.sh')], 60_000);
  slurmConf = stdout.trim().split('\n').at(-1)!;
  process.env.SLURM_CONF = slurmConf;
  return slurmConf;
}

/** The state Slurm reports for a job (`scontrol show job`), e.g. CANCELLED. */
export async function slurmJobState(jobId: string): Promise<string> {
  const { stdout } = await run('scontrol', ['show', 'job', '-o', jobId]);
  return stdout.match(/JobState=(\S+)/)?.[1] ?? '';
}

/** Ids of every job Slurm still knows (running, pending or recently ended) whose name starts with `prefix`. */
export async function slurmJobsNamed(prefix: string): Promise<string[]> {
  const { stdout } = await run('squeue', ['--noheader', '--states=all', '--format=%i %j']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, name]) => name?.startsWith(prefix))
    .map(([id]) => id!);
}

/** The memory Slurm may hand out on the single node, in MiB. */
export async function slurmNodeMemoryMiB(): Promise<number> {
  const { stdout } = await run('scontrol', ['show', 'node', '-o']);
  return Number(stdout.match(/RealMemory=(\d+)/)?.[1]);
}
