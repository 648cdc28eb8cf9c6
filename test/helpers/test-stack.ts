import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import type { SlurmBackendSettings } from '../../src/domain/slurm-job.ts';
import { createLogger } from '../../src/logger.ts';
import { createBackendWorker } from '../../workers/backend.ts';
import { createOrchestratorWorker } from '../../workers/orchestrator.ts';
import { installWorkerRuntime } from '../../workers/worker-runtime.ts';

// One orchestrator queue per test file, so files never take each other's workflows.
const orchestratorQueue = `orchestrator-${randomUUID().slice(0, 8)}`;

/** Config for tests: the database and Temporal server scripts/run-tests.ts prepared, plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    CANCEL_GRACE_SECONDS: '2',
    ORCHESTRATOR_TASK_QUEUE: orchestratorQueue,
    ...overrides,
  });
}

export function testDb(config: Config = testConfig()): Db {
  return createDb({ url: config.database.url!, poolSize: 5, fileStoreDir: config.fileStoreDir });
}

export async function testTemporalClient(config: Config = testConfig()): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address! });
  return new Client({ connection, namespace: config.temporal.namespace });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface RunningWorkers {
  orchestratorQueue: string;
  stop: () => Promise<void>;
}

/** In-process workers: the file's orchestrator queue plus the given backend queues. */
export async function startTestWorkers(
  config: Config,
  db: Db,
  backendQueues: string[],
  {
    maxConcurrentSteps,
    slurm = {},
  }: {
    maxConcurrentSteps?: number;
    /** Queues of slurm backends among backendQueues, with their settings. */
    slurm?: Record<string, SlurmBackendSettings>;
  } = {},
): Promise<RunningWorkers> {
  // Failing steps are what many tests are about: the SDK's warnings about them are noise here.
  installWorkerRuntime(createLogger('warn', 'test-worker'), 'ERROR');
  const orchestratorQueue = config.temporal.orchestratorQueue;
  const created = [
    await createOrchestratorWorker({
      config,
      db,
      taskQueue: orchestratorQueue,
      workflowBundlePath: process.env.AA_TEST_WORKFLOW_BUNDLE,
    }),
    ...(await Promise.all(
      backendQueues.map((taskQueue) =>
        createBackendWorker({ config, db, taskQueue, maxConcurrentSteps, slurm: slurm[taskQueue] }),
      ),
    )),
  ];
  const runs = created.map(({ worker }) => worker.run());
  return {
    orchestratorQueue,
    stop: async () => {
      created.forEach(({ worker }: { worker: Worker }) => worker.shutdown());
      await Promise.allSettled(runs);
      await Promise.all(created.map(({ connection }) => connection.close()));
    },
  };
}
