import { Worker } from '@temporalio/worker';
import { createOrchestratorActivities } from '../activities/create-activities.ts';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { createMailer } from '../src/mail/create-mailer.ts';
import { connectWorkerConnection } from '../src/temporal/temporal-connection.ts';
import { bundleWorkflowsApart } from './workflow-bundle-apart.ts';

export interface OrchestratorOptions {
  config: Config;
  db: Db;
  taskQueue?: string;
  /** A prebuilt bundle skips webpack at start-up (tests and production images); without, a child process builds it. */
  workflowBundlePath?: string;
}

/** Builds the worker that runs the generic workflow and the bookkeeping activities. */
export async function createOrchestratorWorker({ config, db, taskQueue, workflowBundlePath }: OrchestratorOptions) {
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueue ?? config.temporal.orchestratorQueue,
    workflowBundle: workflowBundlePath ? { codePath: workflowBundlePath } : { code: await bundleWorkflowsApart() },
    activities: createOrchestratorActivities({ db, config, mailer: createMailer(config.mail) }),
    maxConcurrentWorkflowTaskExecutions: 100,
    shutdownGraceTime: '10s',
  });
  return { worker, connection };
}
