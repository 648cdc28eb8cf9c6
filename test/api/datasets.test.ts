import { randomBytes } from 'node:crypto';
import { bearer, createTestKey, jsonWith } from '../helpers/api-keys.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { storedBytes as storedBytesIn } from '../helpers/stored-bytes.ts';
import { fileText, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let workers: RunningWorkers;
let owner: string;
let stranger: string;
let admin: string;
const backend = uniqueName('datasets');
const job = uniqueName('count-job');

async function upload(key: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('name', fields.name ?? 'reads');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('data', new Blob([bytes]), 'reads.fasta');
  return t.app.request('/api/v1/datasets', { method: 'POST', body: form, headers: bearer(key) });
}

async function submitWith(key: string, inputRef: object) {
  const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: jsonWith(key),
    body: JSON.stringify({ submissionName: 'by reference', inputRef }),
  });
  return { status: res.status, body: await readJson(res) };
}

const storedBytes = () => storedBytesIn(t.db);

beforeAll(async () => {
  t = await createTestApp();
  owner = await createTestKey(t.db, 'submitter');
  stranger = await createTestKey(t.db, 'submitter');
  admin = await createTestKey(t.db, 'admin');
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${job}-task`,
    backend,
    executable: 'wc -c $I1',
    inputs: ['.fasta'],
    stdoutEnding: '.count',
    outputs: ['.count'],
  });
  await seedJob(t.db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('datasets', () => {
  it('is used by three submissions without a copy, and once deleted they keep their files', async () => {
    const bytes = randomBytes(3 * 256 * 1024 + 5);
    const before = await storedBytes();
    const created = await upload(owner, bytes, { description: 'three reads', retentionDays: '30' });
    expect(created.status).toBe(201);
    const dataset = await readJson(created);
    expect(dataset).toMatchObject({
      name: 'reads',
      description: 'three reads',
      fileName: 'reads.fasta',
      size: bytes.length,
      retentionDays: 30,
    });

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { status, body } = await submitWith(owner, { dataset: dataset.id });
      expect(status).toBe(201);
      ids.push(body.id);
    }
    for (const id of ids) expect((await waitForEnd(t.app, id, 60_000, bearer(owner))).status).toBe('complete');
    const storedForDataset = (await storedBytes()) - before;

    const del = await t.app.request(`/api/v1/datasets/${dataset.id}`, { method: 'DELETE', headers: bearer(owner) });
    expect(del.status).toBe(204);
    expect((await t.app.request(`/api/v1/datasets/${dataset.id}`, { headers: bearer(owner) })).status).toBe(404);

    // The bytes stay for the three submissions: the same count, and each still serves its input.
    expect((await storedBytes()) - before).toBe(storedForDataset);
    for (const id of ids) {
      const view = await readJson(await t.app.request(`/api/v1/submissions/${id}`, { headers: bearer(owner) }));
      const input = view.files.find((f: { kind: string }) => f.kind === 'input');
      expect(input).toMatchObject({ name: 'reads.fasta', size: bytes.length });
      const served = Buffer.from(await (await t.app.request(input.url, { headers: bearer(owner) })).arrayBuffer());
      expect(served.equals(bytes)).toBe(true);
      const count = view.files.find((f: { kind: string }) => f.kind === 'result');
      expect((await fileText(t.app, count.url, bearer(owner))).trim()).toMatch(new RegExp(`^${bytes.length} `));
    }
  });

  it('belongs to its uploader: another key gets 404 and no listing, an admin sees it', async () => {
    const dataset = await readJson(await upload(owner, Buffer.from('ACGT\n')));
    expect((await t.app.request(`/api/v1/datasets/${dataset.id}`, { headers: bearer(stranger) })).status).toBe(404);
    expect((await t.app.request(`/api/v1/datasets/${dataset.id}/data`, { headers: bearer(stranger) })).status).toBe(
      404,
    );
    const theirs = await readJson(await t.app.request('/api/v1/datasets', { headers: bearer(stranger) }));
    expect(theirs.items.map((d: { id: string }) => d.id)).not.toContain(dataset.id);
    expect((await submitWith(stranger, { dataset: dataset.id })).status).toBe(422);
    expect(
      (await t.app.request(`/api/v1/datasets/${dataset.id}`, { method: 'DELETE', headers: bearer(stranger) })).status,
    ).toBe(404);

    const all = await readJson(await t.app.request('/api/v1/datasets', { headers: bearer(admin) }));
    expect(all.items.map((d: { id: string }) => d.id)).toContain(dataset.id);
    const data = await t.app.request(`/api/v1/datasets/${dataset.id}/data`, { headers: bearer(admin) });
    expect(await data.text()).toBe('ACGT\n');
    expect((await t.app.request('/api/v1/datasets')).status).toBe(401);
  });

  it('refuses an upload without a name or a file with 422', async () => {
    const form = new FormData();
    form.set('data', new Blob(['x']), 'x.txt');
    expect(
      (await t.app.request('/api/v1/datasets', { method: 'POST', body: form, headers: bearer(owner) })).status,
    ).toBe(422);
    const noFile = new FormData();
    noFile.set('name', 'empty');
    expect(
      (await t.app.request('/api/v1/datasets', { method: 'POST', body: noFile, headers: bearer(owner) })).status,
    ).toBe(422);
  });

  it('takes an earlier submission result as input by name', async () => {
    const dataset = await readJson(await upload(owner, Buffer.from('ACGT\n')));
    const first = await submitWith(owner, { dataset: dataset.id });
    const done = await waitForEnd(t.app, first.body.id, 60_000, bearer(owner));
    const result = done.files.find((f: { kind: string }) => f.kind === 'result');

    const second = await submitWith(owner, { submission: first.body.id, file: result.name });
    expect(second.status).toBe(201);
    const view = await waitForEnd(t.app, second.body.id, 60_000, bearer(owner));
    expect(view.files.find((f: { kind: string }) => f.kind === 'input')).toMatchObject({
      name: result.name,
      sha256: result.sha256,
    });

    const missing = await submitWith(owner, { submission: first.body.id, file: 'no-such-file' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe('inputRef');
  });
});
