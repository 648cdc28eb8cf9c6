import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createFreshDatabase, type FreshDatabase } from '../helpers/fresh-database.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';

const ADMIN_TOKEN = 'aa-import-admin-token-0123456789';
const YAML = { 'Content-Type': 'application/yaml' };

describe('A_A dump import', () => {
  let database: FreshDatabase;
  let t: TestApp;
  let admin: AdminClient;
  let dump: string;

  beforeAll(async () => {
    database = await createFreshDatabase();
    t = await createTestApp({ DATABASE_URL: database.url, ADMIN_TOKEN });
    admin = adminClient(t, ADMIN_TOKEN);
    dump = await readFile(path.join(PROJECT_ROOT, 'test', 'fixtures', 'aa-dump.yaml'), 'utf8');
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('reports a dry run and stores nothing', async () => {
    const res = await admin.post('/api/v1/config/import-aa?dryRun=true', dump, YAML);
    expect(res.status).toBe(200);
    const report = await readJson(res);
    expect(report.dryRun).toBe(true);
    expect(report.jobs.created).toEqual(['listing', 'psipred']);
    expect(await readJson(await admin.get('/api/v1/jobs'))).toEqual([]);
  });

  it('imports the pipeline; its job lists its steps in their stages', async () => {
    const res = await admin.post('/api/v1/config/import-aa', dump, YAML);
    expect(res.status).toBe(200);
    const report = await readJson(res);
    expect(report.backends.created).toEqual(['local1', 'rserve', 'ucl_cluster']);
    expect(report.tasks.created).toEqual([
      'disopred2',
      'list_tmp',
      'psiblast_seq',
      'psipass2',
      'psipred',
      'r_histogram',
    ]);

    const jobs = await readJson(await admin.get('/api/v1/jobs'));
    const psipred = jobs.find((j: { name: string }) => j.name === 'psipred');
    expect(psipred).toEqual({
      name: 'psipred',
      runnable: true,
      description: '',
      steps: [
        { task: 'psiblast_seq', ordering: 0 },
        { task: 'psipred', ordering: 1 },
        { task: 'disopred2', ordering: 1 },
        { task: 'psipass2', ordering: 2 },
      ],
      validators: ['seq'],
    });
    const stages = [...new Set(psipred.steps.map((s: { ordering: number }) => s.ordering))].map((o) =>
      psipred.steps.filter((s: { ordering: number }) => s.ordering === o).map((s: { task: string }) => s.task),
    );
    expect(stages).toEqual([['psiblast_seq'], ['psipred', 'disopred2'], ['psipass2']]);
  });

  it('maps tasks with their parameters, environment, policies and configuration', async () => {
    const disopred = await readJson(await admin.get('/api/v1/tasks/disopred2'));
    expect(disopred).toMatchObject({
      backend: 'local1',
      executable: '/opt/disopred/bin/disopred2 $ID $I1 /opt/disopred/data/ $VALUE',
      environment: { DSO_LIB_PATH: '/opt/disopred/dso_lib/', LC_ALL: 'C' },
      customExitCodes: [3],
      customExitBehaviour: 'terminate',
      incompleteOutputs: 'terminate',
    });
    const psiblast = await readJson(await admin.get('/api/v1/tasks/psiblast_seq'));
    expect(psiblast).toMatchObject({
      backend: 'ucl_cluster',
      outputs: ['.chk', '.mtx'],
      parameters: [{ alias: 'iterations', flag: '-num_iterations', default: '3' }],
      configuration: [{ type: 'Dataset', name: 'uniref90', version: '2023_05', parameters: '' }],
    });
    const psipass2 = await readJson(await admin.get('/api/v1/tasks/psipass2'));
    expect(psipass2.stdout).toBe('.horiz');
    expect(psipass2.parameters.map((p: { alias: string; type: string }) => [p.alias, p.type])).toEqual([
      ['verbose', 'switch'],
      ['thresh', 'string'],
    ]);
    expect((await readJson(await admin.get('/api/v1/tasks/list_tmp'))).executable).toBe('/bin/ls -la $I1');
  });

  it('reports each skipped row and each change made on the way', async () => {
    const report = await readJson(await admin.post('/api/v1/config/import-aa?dryRun=true', dump, YAML));
    const skipped = report.skipped.map((s: { model: string; pk: string | null }) => `${s.model}#${s.pk}`);
    expect(skipped).toEqual(
      expect.arrayContaining([
        'auth.permission#null',
        'auth.user#1',
        'analytics_automated.backenduser#1',
        'analytics_automated.batch#12',
        'analytics_automated.submission#311',
        'django_celery_beat.periodictask#1',
        'analytics_automated.task#92',
        'analytics_automated.task#93',
        'analytics_automated.parameter#44',
        'analytics_automated.validator#2',
      ]),
    );
    expect(skipped).toHaveLength(10);
    const messages = report.warnings.map((w: { message: string }) => w.message).join('\n');
    expect(messages).toMatch(/renamed "psiblast seq" to "psiblast_seq"/);
    expect(messages).toMatch(/"500" dropped/);
    expect(messages).toMatch(/\$INPUT\/\$OUTPUT placeholders rewritten/);
    expect(messages).toMatch(/as R code/);
    expect(messages).toMatch(/imported as not runnable/);
    expect(report.tasks.unchanged).toHaveLength(6);
  });

  it('keeps a job that lost its validator, but not runnable', async () => {
    expect(await readJson(await admin.get('/api/v1/jobs/listing'))).toMatchObject({ runnable: false, validators: [] });
  });

  it('answers 400 for malformed YAML and 422 for a dump that is not a list', async () => {
    const malformed = await admin.post('/api/v1/config/import-aa', '- model: x\n  fields: {a: [\n', YAML);
    expect(malformed.status).toBe(400);
    expect((await readJson(malformed)).error.code).toBe('invalid_yaml');
    const notList = await admin.post('/api/v1/config/import-aa', 'model: analytics_automated.job\n', YAML);
    expect(notList.status).toBe(422);
  });

  it('needs an admin key: 401 without one, 403 with a submitter key', async () => {
    const submitter = await createTestKey(t.db, 'submitter');
    expect(
      (await t.app.request('/api/v1/config/import-aa', { method: 'POST', body: dump, headers: YAML })).status,
    ).toBe(401);
    expect(
      (
        await t.app.request('/api/v1/config/import-aa', {
          method: 'POST',
          body: dump,
          headers: { ...YAML, ...bearer(submitter) },
        })
      ).status,
    ).toBe(403);
  });
});
