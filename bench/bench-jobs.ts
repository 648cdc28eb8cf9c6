import { adminPut, type BenchTarget } from './bench-client.ts';

export const BENCH_JOBS = {
  oneStep: 'bench-1-step',
  threeStep: 'bench-3-step',
  sleepTree: 'bench-sleep-tree',
  upload: 'bench-upload',
} as const;

/** The tasks and jobs the scenarios submit to, configured through the admin API (PUT is idempotent). */
export async function configureBenchJobs(target: BenchTarget, backend: string): Promise<void> {
  const task = (name: string, body: Record<string, unknown>) =>
    adminPut(target, `/api/v1/tasks/${name}`, { backend, ...body });
  const job = (name: string, tasks: string[]) =>
    adminPut(target, `/api/v1/jobs/${name}`, { steps: tasks.map((t, ordering) => ({ task: t, ordering })) });
  await task('bench-true', { executable: 'true', description: 'does nothing, successfully' });
  await task('bench-sleep-tree', {
    executable: "sh -c 'sleep 600 & sleep 600; wait'",
    description: 'a process tree to cancel',
  });
  await task('bench-take-upload', { executable: 'true', inputs: ['.bin'], description: 'takes a file and ignores it' });
  await job(BENCH_JOBS.oneStep, ['bench-true']);
  await job(BENCH_JOBS.threeStep, ['bench-true', 'bench-true', 'bench-true']);
  await job(BENCH_JOBS.sleepTree, ['bench-sleep-tree']);
  await job(BENCH_JOBS.upload, ['bench-take-upload']);
}
