import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { toAaError } from '../facade/aa-errors.ts';
import { FACADE_PREFIX } from '../facade/facade-routes.ts';
import { AppError } from './app-error.ts';
import { maxBodyBytes } from './body-limits.ts';
import { errorBody } from './error-handler.ts';

interface ServeOptions {
  port: number;
  hostname: string;
  maxUploadBytes: number;
}

/**
 * Serves the app on Node's HTTP server. A request with `Expect: 100-continue` whose declared body
 * is over the limit is answered 413 at once, before the client sends the body; any other is told
 * to continue and handled as usual.
 */
export function serveApi(
  app: { fetch: (request: Request, env: unknown) => Response | Promise<Response> },
  options: ServeOptions,
  onListen?: (info: AddressInfo) => void,
): Server {
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }, onListen) as Server;
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const limit = maxBodyBytes(req.headers['content-type'] ?? '', options.maxUploadBytes);
    if (Number(req.headers['content-length'] ?? '0') > limit) return answerTooLarge(req, res, limit);
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

function answerTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const err = new AppError(413, 'payload_too_large', `The request is larger than ${limit} bytes`);
  const body = JSON.stringify(
    req.url?.startsWith(FACADE_PREFIX) ? toAaError(err)!.body : errorBody(err.code, err.message),
  );
  res.writeHead(413, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}
