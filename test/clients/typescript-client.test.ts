// The scenario both clients run (clients/python/tests/test_client_scenario.py is the Python one):
// list jobs, submit a 2-step job with a file and parameters, follow progress, download and verify
// the results, cancel a running submission and see its process dead by PID, typed API errors.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AaApiError,
  ChecksumMismatchError,
  createAaClient,
  type AaClient,
  type Submission,
} from '../../clients/typescript/aa-client.ts';
import { startClientScenarioStack, type ClientScenarioStack } from '../helpers/client-scenario-stack.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';

let stack: ClientScenarioStack;
let aa: AaClient;
let dir: string;

beforeAll(async () => {
  stack = await startClientScenarioStack();
  aa = createAaClient({ baseUrl: stack.url });
  dir = await mkdtemp(path.join(tmpdir(), 'aa-ts-client-'));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function inputFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('the TypeScript client against the running server', () => {
  it('lists the runnable jobs with their parameters', async () => {
    const job = (await aa.listJobs()).find((j) => j.name === stack.jobs.twoStep);
    expect(job?.parameters.required).toContain(stack.jobs.noteParam);
  });

  it('submits a 2-step job with a file and a parameter, follows it and downloads verified results', async () => {
    const file = await inputFile('input.txt', 'hello typescript client\n');
    const created = await aa.submit(stack.jobs.twoStep, { file, params: { [stack.jobs.noteParam]: 'signed off' } });
    const seen: Submission[] = [];
    const done = await aa.wait(created.id, { onProgress: (view) => seen.push(view) });

    expect(done.status).toBe('complete');
    expect(done.stages.map((s) => s.status)).toEqual(['complete', 'complete']);
    expect([seen[0]?.id, seen.at(-1)?.status]).toEqual([created.id, 'complete']);
    const upper = done.files.find((f) => f.name.endsWith('.up'))!;
    const note = done.files.find((f) => f.name.endsWith('.out'))!;
    await aa.download(created.id, upper, path.join(dir, 'upper.up'));
    await aa.download(created.id, note.name, path.join(dir, 'note.out'));
    expect(await readFile(path.join(dir, 'upper.up'), 'utf8')).toBe('HELLO TYPESCRIPT CLIENT\n');
    expect(await readFile(path.join(dir, 'note.out'), 'utf8')).toBe('HELLO TYPESCRIPT CLIENT\nsigned off\n');
  }, 120_000);

  it('keeps nothing when a download does not match its sha256', async () => {
    const file = await inputFile('checksum.txt', 'checksum\n');
    const created = await aa.submit(stack.jobs.twoStep, { file, params: { [stack.jobs.noteParam]: 'x' } });
    const upper = (await aa.wait(created.id)).files.find((f) => f.name.endsWith('.up'))!;
    const target = path.join(dir, 'bad.up');
    await expect(aa.download(created.id, { ...upper, sha256: '0'.repeat(64) }, target)).rejects.toBeInstanceOf(
      ChecksumMismatchError,
    );
    expect((await readdir(dir)).filter((name) => name.startsWith('bad.up'))).toEqual([]);
  }, 120_000);

  it('cancels a running submission and its process dies', async () => {
    const file = await inputFile('slow.txt', 'slow\n');
    const created = await aa.submit(stack.jobs.slow, { file });
    expect(await waitUntil(() => processesInDir(created.id).length > 0, 30_000)).toBe(true);
    const pids = processesInDir(created.id);

    await aa.cancel(created.id, created.controlToken);

    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000, 50)).toBe(true);
    expect((await aa.wait(created.id)).status).toBe('cancelled');
  }, 120_000);

  it("throws the API's error with status, code and message for bad input", async () => {
    const file = await inputFile('bad.txt', 'bad\n');
    const missing = await aa.submit(stack.jobs.twoStep, { file }).catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(AaApiError);
    expect(missing).toMatchObject({ status: 422, code: 'invalid_parameter' });
    expect((missing as AaApiError).message).toContain(stack.jobs.noteParam);
    await expect(aa.submit('no-such-job', { file })).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});
