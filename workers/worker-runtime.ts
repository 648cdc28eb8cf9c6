import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../src/logger.ts';

let installed = false;

/** Routes the SDK's own logs through pino; the Runtime may be installed once per process. */
export function installWorkerRuntime(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const level = entry.level.toLowerCase() as Lowercase<LogLevel>;
      const method = level === 'trace' ? 'trace' : level;
      logger[method]({ ...entry.meta }, entry.message);
    }),
  });
}
