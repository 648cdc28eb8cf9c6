import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; child loggers carry the submission and workflow ids. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino({ level, name, base: { pid: process.pid } }, destination);
}
