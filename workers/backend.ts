import { Worker } from '@temporalio/worker';
import { createBackendActivities } from '../activities/create-activities.ts';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import type { SlurmBackendSettings } from '../src/domain/slurm-job.ts';
import { connectWorkerConnection } from '../src/temporal/temporal-connection.ts';

export interface BackendWorkerOptions {
  config: Config;
  db: Db;
  taskQueue: string;
  maxConcurrentSteps?: number;
  /** Set for a slurm backend: its steps run as Slurm jobs. */
  slurm?: SlurmBackendSettings | null;
}

/** An activity-only worker for one backend's task queue: it runs task commands, no workflows. */
export async function createBackendWorker({
  config,
  db,
  taskQueue,
  maxConcurrentSteps = 8,
  slurm,
}: BackendWorkerOptions) {
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    activities: createBackendActivities({ db, config, slurm }),
    maxConcurrentActivityTaskExecutions: maxConcurrentSteps,
    // Heartbeats go out at least every second, so a cancel reaches the process within about a second.
    maxHeartbeatThrottleInterval: '1s',
    shutdownGraceTime: `${config.execution.workerShutdownGraceSeconds}s`,
  });
  return { worker, connection };
}
