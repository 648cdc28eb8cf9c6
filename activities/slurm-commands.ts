import { execa } from 'execa';
import { parseScontrolJob, type SlurmJobState } from '../src/domain/slurm-job.ts';

// Slurm's client commands, run as argv (no shell). They answer in milliseconds; the bound only
// keeps a hung controller from holding a step, whose next poll tries again.
const COMMAND_TIMEOUT_MS = 30_000;

export class SlurmCommandError extends Error {}

/** The worker's variables that tell Slurm's commands where the cluster is; nothing secret. */
export function slurmClientEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.SLURM_CONF ? { SLURM_CONF: env.SLURM_CONF } : {};
}

async function slurm(file: string, args: string[], env?: Record<string, string>): Promise<string> {
  const result = await execa(file, args, {
    reject: false,
    timeout: COMMAND_TIMEOUT_MS,
    stdin: 'ignore',
    ...(env ? { env, extendEnv: false } : {}),
  });
  if (result.failed) {
    const why = result.stderr.trim() || result.shortMessage;
    throw new SlurmCommandError(`${file} ${args[0] ?? ''}: ${why}`);
  }
  return result.stdout.trim();
}

export interface Submission {
  script: string;
  /** The step's argv: the batch script's arguments, exec'd as given. */
  argv: string[];
  workDir: string;
  stdoutPath: string;
  stderrPath: string;
  /** The job's whole environment (sbatch --export=ALL hands its own on). */
  env: Record<string, string>;
}

/** Submits the batch script; returns Slurm's job id. */
export async function sbatch(job: Submission): Promise<string> {
  const out = await slurm(
    'sbatch',
    [
      '--parsable',
      '--export=ALL',
      `--chdir=${job.workDir}`,
      `--output=${job.stdoutPath}`,
      `--error=${job.stderrPath}`,
      job.script,
      ...job.argv,
    ],
    job.env,
  );
  const id = out.split(';')[0]!.trim();
  if (!/^\d+$/.test(id)) throw new SlurmCommandError(`sbatch answered "${out}", not a job id`);
  return id;
}

/** The job's state, or undefined once the controller no longer knows it. */
export async function jobState(jobId: string): Promise<SlurmJobState | undefined> {
  try {
    return parseScontrolJob(await slurm('scontrol', ['show', 'job', '-o', jobId]));
  } catch (err) {
    if (err instanceof SlurmCommandError && /Invalid job id/i.test(err.message)) return undefined;
    throw err;
  }
}

/** Ids of the unfinished jobs with this name (a step's job submitted by an attempt that died before recording it). */
export async function activeJobsNamed(name: string): Promise<string[]> {
  const out = await slurm('squeue', ['--noheader', `--name=${name}`, '--format=%i']);
  return out.split('\n').filter((line) => /^\d+$/.test(line.trim()));
}

export async function scancel(jobId: string): Promise<void> {
  await slurm('scancel', [jobId]);
}
