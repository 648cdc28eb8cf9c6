import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import { writeGeneratedAlignment } from '../helpers/generated-alignment.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { memoryOf, spawnAa, spawnApi, stackEnv, type SpawnedProcess } from '../helpers/spawned-stack.ts';
import { readJson } from '../helpers/test-app.ts';
import { testConfig, testDb, uniqueName } from '../helpers/test-stack.ts';

const MB = 1024 * 1024;
const config = testConfig();
let db: Db;
let dir: string;
const backend = uniqueName('real');
const workers: SpawnedProcess[] = [];

async function resetPeakMemory(pid: number) {
  // Writing 5 to clear_refs resets VmHWM, so the next peak is this operation's own.
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

async function post(apiUrl: string, job: string, file: Blob, name = 'data.bin') {
  const form = new FormData();
  form.set('submission_name', 'real');
  form.set('input_data', file, name);
  const res = await fetch(`${apiUrl}/api/v1/jobs/${job}/submissions`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return (await readJson(res)).id as string;
}

async function waitForEnd(apiUrl: string, id: string) {
  for (let i = 0; i < 120; i++) {
    const body = await readJson(await fetch(`${apiUrl}/api/v1/submissions/${id}?wait=10`));
    if (!['submitted', 'running'].includes(body.status)) return body;
  }
  throw new Error(`submission ${id} did not end`);
}

beforeAll(async () => {
  db = testDb(config);
  dir = await mkdtemp(path.join(tmpdir(), 'aa-real-'));
  await seedBackend(db, backend, `backend.${backend}`);
  const env = stackEnv();
  workers.push(spawnAa(['worker', '--orchestrator'], env), spawnAa(['worker', '--backend', backend], env));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await rm(dir, { recursive: true, force: true });
  await db.destroy();
});

describe('the stack as real processes', () => {
  it('takes a 200 MB upload and serves its 200 MB result with matching sha256, the API growing less than 100 MB', async () => {
    const job = uniqueName('copy');
    await seedTask(db, {
      name: `${job}-task`,
      backend,
      executable: 'cp $I1 $O1',
      inputs: ['.bin'],
      outputs: ['.copy'],
    });
    await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
    const source = path.join(dir, 'big.bin');
    const hash = createHash('sha256');
    const out = createWriteStream(source);
    const block = randomBytes(MB);
    for (let i = 0; i < 200; i++) {
      block.writeUInt32LE(i, 0);
      hash.update(block);
      if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const expected = hash.digest('hex');

    const api = await spawnApi(stackEnv());
    try {
      // Ready means the Temporal connection is made: its one-time cost is not the upload's.
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
      const before = await memoryOf(api.child.pid!);
      await resetPeakMemory(api.child.pid!);
      const id = await post(api.url, job, await openAsBlob(source));
      const afterUpload = await memoryOf(api.child.pid!);

      const body = await waitForEnd(api.url, id);
      expect(body.status).toBe('complete');
      const input = body.files.find((f: { kind: string }) => f.kind === 'input');
      const result = body.files.find((f: { name: string }) => f.name.endsWith('.copy'));
      expect(input.sha256).toBe(expected);
      expect(result).toMatchObject({ size: 200 * MB, sha256: expected });

      const beforeDownload = await memoryOf(api.child.pid!);
      await resetPeakMemory(api.child.pid!);
      const download = await fetch(`${api.url}${result.url}`);
      const got = createHash('sha256');
      let size = 0;
      for await (const chunk of download.body!) {
        got.update(chunk);
        size += chunk.length;
      }
      const afterDownload = await memoryOf(api.child.pid!);
      expect(size).toBe(200 * MB);
      expect(got.digest('hex')).toBe(expected);
      const uploadGrowth = afterUpload.peak - before.current;
      const downloadGrowth = afterDownload.peak - beforeDownload.current;
      process.stderr.write(
        `[figures] 200 MB: API RSS ${(before.current / MB).toFixed(0)} MB at rest; peak growth ` +
          `${(uploadGrowth / MB).toFixed(0)} MB while uploading, ${(downloadGrowth / MB).toFixed(0)} MB while downloading\n`,
      );
      expect(uploadGrowth).toBeLessThan(100 * MB);
      expect(downloadGrowth).toBeLessThan(100 * MB);
    } finally {
      await api.stop();
    }
  }, 300_000);

  it('checks a 1 GiB FASTA alignment with the seq validator, the API growing less than 100 MB', async () => {
    const job = uniqueName('aligned');
    await seedTask(db, { name: `${job}-task`, backend, executable: 'true', inputs: ['.fasta'] });
    await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }], { validators: ['seq'] });
    const source = path.join(dir, 'alignment.fasta');
    const expected = await writeGeneratedAlignment(source, 1024 * MB);

    const api = await spawnApi(stackEnv());
    try {
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
      const refused = new FormData();
      refused.set('submission_name', 'real');
      refused.set('input_data', new Blob(['>a\nNOT A PROTEIN\n']), 'bad.fasta');
      const refusal = await fetch(`${api.url}/api/v1/jobs/${job}/submissions`, { method: 'POST', body: refused });
      expect(refusal.status).toBe(422);
      expect((await readJson(refusal)).error).toMatchObject({
        code: 'validation_failed',
        details: { validator: 'seq' },
      });

      const before = await memoryOf(api.child.pid!);
      await resetPeakMemory(api.child.pid!);
      const started = performance.now();
      const id = await post(api.url, job, await openAsBlob(source), 'alignment.fasta');
      const seconds = (performance.now() - started) / 1000;
      const afterUpload = await memoryOf(api.child.pid!);
      await rm(source);

      const body = await waitForEnd(api.url, id);
      expect(body.status).toBe('complete');
      expect(body.files.find((f: { kind: string }) => f.kind === 'input')).toMatchObject({
        size: 1024 * MB,
        sha256: expected,
      });
      const growth = afterUpload.peak - before.current;
      process.stderr.write(
        `[figures] 1 GiB through seq: API RSS ${(before.current / MB).toFixed(0)} MB at rest; peak growth ` +
          `${(growth / MB).toFixed(0)} MB; POST answered in ${seconds.toFixed(0)} s\n`,
      );
      expect(growth).toBeLessThan(100 * MB);
    } finally {
      await api.stop();
    }
  }, 900_000);

  it('finishes a submission whose API was killed between POST and completion', async () => {
    const job = uniqueName('slow');
    await seedTask(db, {
      name: `${job}-task`,
      backend,
      executable: `sh -c 'sleep 3; echo done > "$1"' sh $O1`,
      outputs: ['.done'],
    });
    await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
    const first = await spawnApi(stackEnv());
    const id = await post(first.url, job, new Blob(['x']));
    await first.stop('SIGKILL');

    const second = await spawnApi(stackEnv(), first.port);
    try {
      const body = await waitForEnd(second.url, id);
      expect(body.status).toBe('complete');
      expect(body.files.some((f: { name: string }) => f.name === `${id}.done`)).toBe(true);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
