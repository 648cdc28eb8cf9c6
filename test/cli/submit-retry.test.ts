import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postSubmission } from '../../src/cli/submission-api.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;
let server: Server;
let url: string;
let job: string;
const seenKeys: (string | undefined)[] = [];
// The first answer is lost on the way back, as when a proxy or the network drops it after the API stored the submission.
let loseNextAnswer = false;

beforeAll(async () => {
  t = await createTestApp();
  const backend = uniqueName('cli-retry');
  await seedBackend(t.db, backend, `backend.${backend}`);
  job = uniqueName('cli-retry-job');
  await seedTask(t.db, { name: job, backend, executable: 'true' });
  await seedJob(t.db, job, [{ task: job, ordering: 0 }]);
  // node:http never awaits its handler: a relay that fails shows up as the client's error instead.
  server = createServer((req, res) => void relayToApp(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

// Hands each request to the in-process app, so the CLI talks real HTTP to it.
async function relayToApp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  seenKeys.push(req.headers['idempotency-key'] as string | undefined);
  const answer = await t.app.request(req.url!, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Buffer.concat(chunks),
  });
  if (loseNextAnswer) {
    loseNextAnswer = false;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'temporal_unavailable', message: 'lost on the way' } }));
    return;
  }
  res.writeHead(answer.status, Object.fromEntries(answer.headers));
  res.end(Buffer.from(await answer.arrayBuffer()));
}

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

describe('aa submit retries', () => {
  it('retries a POST whose answer was lost with the same Idempotency-Key and gets the one submission', async () => {
    const file = path.join(os.tmpdir(), `${uniqueName('in')}.txt`);
    await writeFile(file, 'hello\n');
    const name = uniqueName('lost');
    seenKeys.length = 0;
    loseNextAnswer = true;

    const created = await postSubmission(
      { url, apiKey: undefined, color: false },
      { job, file, name, fields: {} },
      { retryDelayMs: 10 },
    );

    expect(seenKeys).toHaveLength(2);
    expect(seenKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seenKeys[1]).toBe(seenKeys[0]);
    const rows = await t.db.selectFrom('submissions').select('id').where('name', '=', name).execute();
    expect(rows).toEqual([{ id: created.id }]);
  });

  it('sends a new key on each invocation, so two runs are two submissions', async () => {
    const file = path.join(os.tmpdir(), `${uniqueName('in')}.txt`);
    await writeFile(file, 'hello\n');
    const name = uniqueName('twice');
    seenKeys.length = 0;
    const api = { url, apiKey: undefined, color: false };
    const a = await postSubmission(api, { job, file, name, fields: {} });
    const b = await postSubmission(api, { job, file, name, fields: {} });

    expect(seenKeys[0]).not.toBe(seenKeys[1]);
    expect(b.id).not.toBe(a.id);
  });
});
