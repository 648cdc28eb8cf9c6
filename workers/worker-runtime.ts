import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../src/logger.ts';

let installed = false;

export interface WorkerRuntimeOptions {
  /** `host:port` where the SDK serves its Prometheus metrics (`/metrics`); none when unset. */
  metricsAddress?: string | undefined;
}

const TEMPORAL_LEVELS: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };

/**
 * Routes the SDK's logs, and the activities' and workflows' own (`log` from the SDK, carrying the
 * workflow id), through pino, by default at pino's level; the Runtime may be installed once per process.
 */
export function installWorkerRuntime(
  logger: Logger,
  level: LogLevel = TEMPORAL_LEVELS[logger.level] ?? 'ERROR',
  { metricsAddress }: WorkerRuntimeOptions = {},
): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = entry.level.toLowerCase() as Lowercase<LogLevel>;
      // A task token lets anyone complete the activity: it stays out of the logs.
      const { taskToken: _taskToken, ...meta } = entry.meta ?? {};
      logger[method]({ ...meta }, entry.message);
    }),
    // The SDK's own worker metrics (polls, task latencies, schedule-to-start per task queue).
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
}
