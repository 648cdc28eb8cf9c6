import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/**
 * JSON lines on stdout for log collectors; on a terminal (`aa dev`, or `aa api` run by hand) one
 * readable, coloured line per entry instead. Child loggers carry the submission and workflow ids.
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const out = destination ?? (process.stdout.isTTY ? readableLines() : undefined);
  return pino({ level, name, base: { pid: process.pid } }, out);
}

function readableLines(): DestinationStream {
  // Synchronous like pino's own stdout, so the last lines before an exit are not lost.
  return PinoPretty({
    colorize: true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
