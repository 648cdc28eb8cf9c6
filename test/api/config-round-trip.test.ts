import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { adminClient } from '../helpers/admin-client.ts';
import { createFreshDatabase, type FreshDatabase } from '../helpers/fresh-database.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';

const ADMIN_TOKEN = 'round-trip-admin-token-0123456789';
const YAML = { 'Content-Type': 'application/yaml' };

describe('configuration round trip', () => {
  const databases: FreshDatabase[] = [];
  const apps: TestApp[] = [];

  async function emptyInstance() {
    const database = await createFreshDatabase();
    databases.push(database);
    const t = await createTestApp({ DATABASE_URL: database.url, ADMIN_TOKEN });
    apps.push(t);
    return adminClient(t, ADMIN_TOKEN);
  }

  afterAll(async () => {
    for (const t of apps) await t.close();
    for (const database of databases) await database.drop();
  });

  it('exports, imports into an empty database and exports byte-identically', async () => {
    const source = await emptyInstance();
    const authored = await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'round-trip-config.yaml'), 'utf8');
    const first = await source.put('/api/v1/config', authored, YAML);
    expect(first.status).toBe(200);
    expect(await readJson(first)).toMatchObject({
      backends: { created: ['cluster', 'gpu', 'local'] },
      tasks: { created: ['disopred', 'memsat', 'psiblast', 'psipass2', 'psipred', 'report'] },
      jobs: { created: ['disorder-graph', 'disorder_and_membrane', 'psipred', 'structure-only'] },
    });
    const exported = await (await source.get('/api/v1/config')).text();
    // The graph job keeps every graph field; jobs without them export as they always did.
    for (const field of ['name: align', 'after:', 'when:', 'onFailure: continue', 'from: align/*.pssm', 'as: I1'])
      expect(exported).toContain(field);

    const target = await emptyInstance();
    const imported = await target.put('/api/v1/config', exported, YAML);
    expect(imported.status).toBe(200);
    const reExported = await target.get('/api/v1/config');
    expect(reExported.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await reExported.text()).toBe(exported);

    const again = await readJson(await target.put('/api/v1/config', exported, YAML));
    expect(again.tasks).toEqual({
      created: [],
      updated: [],
      deleted: [],
      unchanged: ['disopred', 'memsat', 'psiblast', 'psipass2', 'psipred', 'report'],
    });
    expect(again.jobs.unchanged).toHaveLength(4);
  });

  it('exports stages in order, defaults explicit, lists sorted by name', async () => {
    const client = await emptyInstance();
    await client.put(
      '/api/v1/config',
      await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'round-trip-config.yaml'), 'utf8'),
      YAML,
    );
    const doc = await readJson(await client.get('/api/v1/config?format=json'));
    expect(doc.tasks.map((t: { name: string }) => t.name)).toEqual([
      'disopred',
      'memsat',
      'psiblast',
      'psipass2',
      'psipred',
      'report',
    ]);
    const job = doc.jobs.find((j: { name: string }) => j.name === 'disorder_and_membrane');
    expect(job.steps).toEqual([
      { task: 'psiblast', ordering: 10 },
      { task: 'memsat', ordering: 20 },
      { task: 'disopred', ordering: 20 },
      { task: 'report', ordering: 30 },
    ]);
    const local = doc.backends.find((b: { name: string }) => b.name === 'local');
    expect(local).toEqual({
      name: 'local',
      taskQueue: 'backend.local',
      rootPath: null,
      description: '',
      kind: 'local',
      slurm: null,
      limits: { cpuSeconds: null, memoryBytes: null, processes: null, openFiles: null, outputBytes: null },
    });
    const cluster = doc.backends.find((b: { name: string }) => b.name === 'cluster');
    expect(cluster).toMatchObject({
      kind: 'slurm',
      slurm: { partition: 'short', account: null, qos: null, allowedOptions: ['--constraint'] },
    });
    const psiblast = doc.tasks.find((t: { name: string }) => t.name === 'psiblast');
    expect(psiblast.slurm).toEqual({
      cpus: 8,
      memoryMiB: 16384,
      gpus: null,
      partition: null,
      account: null,
      qos: null,
      sbatchOptions: ['--constraint=avx2'],
    });
    const memsat = doc.tasks.find((t: { name: string }) => t.name === 'memsat');
    expect(memsat.version).toBe('3');
    expect(memsat.retry).toEqual({
      maximumAttempts: 3,
      initialIntervalSeconds: 1,
      backoffCoefficient: 2,
      maximumIntervalSeconds: null,
      retryableExitCodes: [],
      retryableLimits: [],
    });
  });

  it('in replace mode deletes what the document leaves out; a dry run only reports it', async () => {
    const client = await emptyInstance();
    await client.put(
      '/api/v1/config',
      await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'round-trip-config.yaml'), 'utf8'),
      YAML,
    );
    const full = await readJson(await client.get('/api/v1/config?format=json'));
    const smaller = {
      ...full,
      backends: full.backends.filter((b: { name: string }) => b.name !== 'cluster'),
      tasks: full.tasks.filter((t: { name: string }) => t.name !== 'psiblast'),
      jobs: full.jobs.filter((j: { name: string }) => j.name === 'structure-only'),
    };
    const dry = await client.put('/api/v1/config?mode=replace&dryRun=true', smaller);
    expect(dry.status).toBe(200);
    const report = await readJson(dry);
    expect(report).toMatchObject({ dryRun: true, mode: 'replace' });
    expect(report.jobs.deleted).toEqual(['disorder-graph', 'disorder_and_membrane', 'psipred']);
    expect(report.tasks.deleted).toEqual(['psiblast']);
    expect(report.backends.deleted).toEqual(['cluster']);
    expect((await readJson(await client.get('/api/v1/config?format=json'))).jobs).toHaveLength(4);

    const real = await readJson(await client.put('/api/v1/config?mode=replace', smaller));
    expect(real.dryRun).toBe(false);
    const after = await readJson(await client.get('/api/v1/config?format=json'));
    expect(after.jobs.map((j: { name: string }) => j.name)).toEqual(['structure-only']);
    expect(after.backends.map((b: { name: string }) => b.name)).toEqual(['gpu', 'local']);
  });

  it('refuses with 409 in replace mode to drop a task a kept job still uses, and changes nothing', async () => {
    const client = await emptyInstance();
    await client.put(
      '/api/v1/config',
      await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'round-trip-config.yaml'), 'utf8'),
      YAML,
    );
    const before = await (await client.get('/api/v1/config')).text();
    const full = await readJson(await client.get('/api/v1/config?format=json'));
    const broken = { ...full, tasks: full.tasks.filter((t: { name: string }) => t.name !== 'psipred') };
    broken.jobs = broken.jobs.filter((j: { name: string }) => j.name === 'disorder_and_membrane');
    broken.jobs.push({ name: 'keeps-psipred', steps: [{ task: 'psipred', ordering: 0 }] });
    const res = await client.put('/api/v1/config?mode=replace', broken);
    expect(res.status).toBe(409);
    const body = await readJson(res);
    expect(body.error.code).toBe('conflict');
    expect(body.error.details[0]).toMatchObject({ path: 'tasks', names: ['keeps-psipred'] });
    expect(await (await client.get('/api/v1/config')).text()).toBe(before);
  });
});
