import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { createLogger } from '../logger.ts';
import { ensureCrashSweepSchedule } from '../temporal/crash-sweep-schedule.ts';
import { ensureRetentionSchedule } from '../temporal/retention-schedule.ts';
import { defaultTaskQueue } from '../temporal/task-queues.ts';
import { connectTemporalClient } from '../temporal/temporal-connection.ts';
import { detectEnforcement } from '../../activities/limit-enforcement.ts';
import { createBackendWorker } from '../../workers/backend.ts';
import { reportBackendWorker } from '../../workers/backend-worker-report.ts';
import { createOrchestratorWorker } from '../../workers/orchestrator.ts';
import { startOrphanReaper } from '../../workers/orphan-reaper.ts';
import { installWorkerRuntime } from '../../workers/worker-runtime.ts';
import type { RunCommand } from './command.ts';

const HELP = `Usage: aa worker [--orchestrator] [--backend NAME]... [--concurrency N]

  --orchestrator   serve the generic workflow and bookkeeping activities
  --backend NAME   serve the task queue of backend NAME (repeatable)
  --concurrency N  steps a backend worker runs at once (default 8)`;

export const run: RunCommand = async (args) => {
  const { values } = parseArgs({
    args,
    options: {
      orchestrator: { type: 'boolean', default: false },
      backend: { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: '8' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (!values.orchestrator && values.backend.length === 0)) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  if (!config.database.url) throw new ConfigError('DATABASE_URL is not set');
  const logger = createLogger(config.logLevel, 'worker');
  const metricsPort = config.workerMetricsPort;
  installWorkerRuntime(logger, undefined, {
    metricsAddress: metricsPort ? `${config.http.host}:${metricsPort}` : undefined,
  });
  const db = createDb({
    url: config.database.url,
    poolSize: config.database.poolSize,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    // A call that never returns would leave its step heartbeating, and its submission running, for
    // good; bounded, it fails as "database unavailable" and is tried again.
    queryTimeoutSeconds: config.database.workerQueryTimeoutSeconds,
    fileStoreDir: config.fileStoreDir,
  });
  const running: Awaited<ReturnType<typeof createBackendWorker>>[] = [];
  let stopReaper = () => {};
  const stopReports: (() => Promise<void>)[] = [];
  // One try for start-up and run, so a worker that cannot start closes what it opened and exits at once.
  try {
    if (values.orchestrator) {
      running.push(
        await createOrchestratorWorker({ config, db, workflowBundlePath: config.temporal.workflowBundlePath }),
      );
      const client = await connectTemporalClient(config.temporal);
      try {
        const taskQueue = config.temporal.orchestratorQueue;
        await ensureRetentionSchedule(client, { taskQueue });
        logger.info('retention-sweep schedule ensured');
        if (config.crashSweep.intervalSeconds > 0) {
          logger.info(
            { scheduleId: await ensureCrashSweepSchedule(client, { taskQueue, ...config.crashSweep }) },
            'crash sweep scheduled',
          );
        }
      } finally {
        await client.connection.close();
      }
    }
    if (values.backend.length > 0) stopReaper = startOrphanReaper(config.dataDir, logger);
    for (const backend of values.backend) {
      const row = await db
        .selectFrom('backends')
        .select(['task_queue', 'kind', 'slurm'])
        .where('name', '=', backend)
        .executeTakeFirst();
      const taskQueue = row?.task_queue ?? defaultTaskQueue(backend);
      const slurm = row?.kind === 'slurm' ? row.slurm : null;
      running.push(
        await createBackendWorker({ config, db, taskQueue, maxConcurrentSteps: Number(values.concurrency), slurm }),
      );
      const enforcement = await detectEnforcement();
      stopReports.push(await reportBackendWorker(db, backend, enforcement));
      const { cgroups, prlimit, limits } = enforcement;
      logger.info(
        { backend, taskQueue, kind: row?.kind ?? 'local', cgroups: cgroups?.version ?? null, prlimit, limits },
        'backend worker ready',
      );
    }
    if (values.orchestrator) logger.info('orchestrator worker ready');
    // The Temporal runtime turns SIGINT/SIGTERM into a graceful shutdown of every worker.
    await Promise.all(running.map(({ worker }) => worker.run()));
  } finally {
    stopReaper();
    await Promise.all(stopReports.map((stop) => stop()));
    await Promise.all(running.map(({ connection }) => connection.close()));
    await db.destroy();
  }
  return 0;
};
