import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveApi } from '../../src/api/serve-api.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const LIMIT = 1024 * 1024;
const OVER_BY = 50 * 1024 * 1024;
const CHUNK = 1024 * 1024;

let t: TestApp;
let server: http.Server;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ MAX_UPLOAD_BYTES: String(LIMIT) });
  server = serveApi(t.app, { port: 0, hostname: '127.0.0.1', maxUploadBytes: LIMIT });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  continued: boolean;
}

interface Upload {
  path: string;
  headers: Record<string, string | number>;
  /** Bytes to send; written in 1 MiB chunks with a pause, as a real network would. */
  size: number;
  agent?: http.Agent;
  /** Wait for 100 Continue (or a final answer) before sending the body, as curl does. */
  expectContinue?: boolean;
}

/** Sends the whole body before reading the answer; a reset connection rejects. */
function upload({ path, headers, size, agent, expectContinue }: Upload): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), continued }),
      );
    });
    req.on('error', reject);
    const sendBody = async () => {
      const chunk = Buffer.alloc(CHUNK, 0x61);
      for (let sent = 0; sent < size; sent += CHUNK) {
        if (!req.write(chunk.subarray(0, Math.min(CHUNK, size - sent)))) await new Promise((r) => req.once('drain', r));
        await sleep(10);
      }
      req.end();
    };
    if (expectContinue) {
      req.on('continue', () => {
        continued = true;
        sendBody().catch(reject);
      });
      req.flushHeaders();
    } else sendBody().catch(reject);
  });
}

function get(path: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      })
      .on('error', reject);
  });
}

const multipart = { 'Content-Type': 'multipart/form-data; boundary=xyz', 'Content-Length': LIMIT + OVER_BY };

describe('bodies over the upload limit', () => {
  it('answers 413 with the JSON error after a keep-alive client sent 50 MiB too much, then closes', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await upload({
        path: '/api/v1/jobs/any/submissions',
        headers: multipart,
        size: LIMIT + OVER_BY,
        agent,
      });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
      // The next request on the same agent goes on a new connection and is answered.
      expect(await get('/healthz', agent)).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('answers a chunked JSON body that runs past the limit with 413 as well', async () => {
    const answer = await upload({
      path: '/api/v1/jobs/any/submissions',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      size: LIMIT * 3,
    });
    expect({ status: answer.status, code: JSON.parse(answer.body).error.code }).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it("answers the A_A facade's upload with 413 and A_A's error body", async () => {
    const answer = await upload({
      path: '/analytics_automated/submission/',
      headers: multipart,
      size: LIMIT + OVER_BY,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining('larger than') });
  });

  it('answers Expect: 100-continue with 413 at once when the declared length is over the limit', async () => {
    const answer = await upload({
      path: '/api/v1/jobs/any/submissions',
      headers: { ...multipart, Expect: '100-continue' },
      size: LIMIT + OVER_BY,
      expectContinue: true,
    });
    expect({ status: answer.status, continued: answer.continued, connection: answer.headers.connection }).toEqual({
      status: 413,
      continued: false,
      connection: 'close',
    });
    expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
  });

  it('tells a client within the limit to continue, and then handles its request', async () => {
    const answer = await upload({
      path: '/api/v1/jobs/no-such-job/submissions',
      headers: { 'Content-Type': 'application/json', 'Content-Length': 1024, Expect: '100-continue' },
      size: 1024,
      expectContinue: true,
    });
    expect({ status: answer.status, continued: answer.continued }).toEqual({ status: 400, continued: true });
    expect(JSON.parse(answer.body).error.code).toBe('bad_request');
  });
});
