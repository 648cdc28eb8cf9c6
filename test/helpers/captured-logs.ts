import { createLogger, type Logger } from '../../src/logger.ts';

export type LogLine = Record<string, unknown>;

/** A real pino logger at `info` whose JSON lines are parsed into `lines` instead of going to stdout. */
export function capturedLogger(name = 'test'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger('info', name, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
