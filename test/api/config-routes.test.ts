import { parse } from 'yaml';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

const YAML = { 'Content-Type': 'application/yaml' };

describe('configuration routes', () => {
  let t: TestApp;
  let admin: AdminClient;
  let submitterKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = adminClient(t, await createTestKey(t.db, 'admin'));
    submitterKey = await createTestKey(t.db, 'submitter');
  });
  afterAll(() => t.close());

  async function countRows() {
    const count = async (table: 'backends' | 'tasks' | 'jobs') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { backends: await count('backends'), tasks: await count('tasks'), jobs: await count('jobs') };
  }

  function smallDoc() {
    const [backend, task, job] = [uniqueName('be'), uniqueName('task'), uniqueName('job')];
    const yaml = [
      'backends:',
      `  - name: ${backend}`,
      'tasks:',
      `  - name: ${task}`,
      `    backend: ${backend}`,
      '    executable: cat $I1',
      '    inputs: [.txt]',
      'jobs:',
      `  - name: ${job}`,
      '    steps:',
      `      - { task: ${task}, ordering: 0 }`,
    ].join('\n');
    return { backend, task, job, yaml };
  }

  it('exports YAML by default and JSON on request, with the same content', async () => {
    const { job, yaml } = smallDoc();
    await admin.put('/api/v1/config', yaml, YAML);
    const asYaml = await admin.get('/api/v1/config');
    expect(asYaml.status).toBe(200);
    expect(asYaml.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    const fromYaml = parse(await asYaml.text());
    const byAccept = await admin.get('/api/v1/config', { Accept: 'application/json' });
    expect(byAccept.headers.get('content-type')).toMatch(/^application\/json/);
    const fromJson = await readJson(byAccept);
    expect(fromJson.jobs.map((j: { name: string }) => j.name)).toContain(job);
    expect(fromYaml.version).toBe(1);
    expect(fromYaml.jobs.find((j: { name: string }) => j.name === job)).toEqual(
      fromJson.jobs.find((j: { name: string }) => j.name === job),
    );
    expect((await admin.get('/api/v1/config?format=json')).headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('imports in merge mode, reporting created, then unchanged, then updated', async () => {
    const { backend, task, job, yaml } = smallDoc();
    const first = await readJson(await admin.put('/api/v1/config', yaml, YAML));
    expect(first).toEqual({
      dryRun: false,
      mode: 'merge',
      backends: { created: [backend], updated: [], deleted: [], unchanged: [] },
      tasks: { created: [task], updated: [], deleted: [], unchanged: [] },
      jobs: { created: [job], updated: [], deleted: [], unchanged: [] },
    });
    const second = await readJson(await admin.put('/api/v1/config', yaml, YAML));
    expect([second.backends.unchanged, second.tasks.unchanged, second.jobs.unchanged]).toEqual([
      [backend],
      [task],
      [job],
    ]);
    const third = await readJson(await admin.put('/api/v1/config', yaml.replace('cat $I1', 'wc -l $I1'), YAML));
    expect(third.tasks.updated).toEqual([task]);
    expect((await readJson(await admin.get(`/api/v1/tasks/${task}`))).executable).toBe('wc -l $I1');
  });

  it('reports a dry run without storing anything', async () => {
    const { task, yaml } = smallDoc();
    const before = await countRows();
    const res = await admin.put('/api/v1/config?dryRun=true', yaml, YAML);
    expect(res.status).toBe(200);
    const report = await readJson(res);
    expect(report.dryRun).toBe(true);
    expect(report.tasks.created).toEqual([task]);
    expect(await countRows()).toEqual(before);
  });

  it('lists, on a replace dry run, objects the document leaves out as deleted', async () => {
    const { job, yaml } = smallDoc();
    await admin.put('/api/v1/config', yaml, YAML);
    const report = await readJson(await admin.put('/api/v1/config?dryRun=true&mode=replace', 'version: 1\n', YAML));
    expect(report.jobs.deleted).toContain(job);
    expect((await admin.get(`/api/v1/jobs/${job}`)).status).toBe(200);
  });

  it('accepts JSON bodies and references to backends already stored', async () => {
    const backend = uniqueName('be');
    await admin.put(`/api/v1/backends/${backend}`, {});
    const task = uniqueName('task');
    const res = await admin.put('/api/v1/config', { tasks: [{ name: task, backend, executable: 'true' }] });
    expect(res.status).toBe(200);
    expect((await readJson(res)).tasks.created).toEqual([task]);
  });

  it('answers 400 invalid_yaml with the line for malformed YAML, storing nothing', async () => {
    const before = await countRows();
    const res = await admin.put('/api/v1/config', `backends:\n  - name: ${uniqueName('be')}\n tasks: [\n`, YAML);
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.error.code).toBe('invalid_yaml');
    expect(body.error.message).toMatch(/line \d+/);
    expect(body.error.details.line).toBeGreaterThan(0);
    expect(await countRows()).toEqual(before);
  });

  it('answers 422 naming the document path for a field that breaks the schema', async () => {
    const { yaml } = smallDoc();
    const res = await admin.put(
      '/api/v1/config',
      yaml.replace('    inputs: [.txt]', '    inputs: [.txt]\n    inputGlob: .txt'),
      YAML,
    );
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.details[0].path).toBe('tasks.0');
  });

  it('answers 422 unknown_reference for a task on an unknown backend, rolling back the whole document', async () => {
    const { backend, yaml } = smallDoc();
    const before = await countRows();
    const broken = yaml.replace(`    backend: ${backend}`, '    backend: no-such-backend');
    const res = await admin.put('/api/v1/config', broken, YAML);
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.code).toBe('unknown_reference');
    expect(body.error.details[0].path).toBe('tasks.0.backend');
    expect(body.error.message).toMatch(/^tasks\.0\.backend: /);
    expect(await countRows()).toEqual(before);
  });

  it('answers 422 for a job naming an unknown task or validator', async () => {
    const { task, yaml } = smallDoc();
    const unknownTask = await admin.put(
      '/api/v1/config',
      yaml.replace(`      - { task: ${task}, ordering: 0 }`, '      - { task: ghost, ordering: 0 }'),
      YAML,
    );
    expect((await readJson(unknownTask)).error.details[0].path).toBe('jobs.0.steps.0.task');
    const unknownValidator = await admin.put('/api/v1/config', `${yaml}\n    validators: [tiff]`, YAML);
    expect(unknownValidator.status).toBe(422);
    expect((await readJson(unknownValidator)).error.details[0].path).toBe('jobs.0.validators.0');
  });

  it('answers 422 for duplicate names in one document', async () => {
    const name = uniqueName('be');
    const res = await admin.put('/api/v1/config', { backends: [{ name }, { name: uniqueName('be') }, { name }] });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.details[0]).toEqual({
      path: 'backends.2.name',
      message: `duplicate name "${name}" (also backends.0)`,
    });
  });

  describe('hostile bodies', () => {
    const MB = 1024 * 1024;
    const cases: [string, string, Record<string, string>, number][] = [
      ['1 MB of nested YAML flow sequences', '['.repeat(MB / 2) + ']'.repeat(MB / 2), YAML, 400],
      [
        '1 MB of nested JSON arrays',
        '{"backends":' + '['.repeat(MB / 2 - 8) + ']'.repeat(MB / 2 - 8) + '}',
        { 'Content-Type': 'application/json' },
        400,
      ],
      [
        '1 MB of block-nested YAML mappings',
        Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}k${i}:`)
          .join('\n')
          .slice(0, MB),
        YAML,
        400,
      ],
      [
        'a 1 MB string where a description belongs',
        `backends:\n  - name: huge\n    description: "${'x'.repeat(MB)}"\n`,
        YAML,
        422,
      ],
      [
        '20 000 backends in 1 MB',
        `backends:\n${Array.from({ length: 20_000 }, (_, i) => `  - name: b${i}`).join('\n')}\n`,
        YAML,
        422,
      ],
      [
        'an alias bomb',
        [
          'a: &a [x, x, x, x, x, x, x, x, x, x]',
          ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
        ].join('\n'),
        YAML,
        400,
      ],
      ['3 MB, past the body limit', `backends: []\n#${'x'.repeat(3 * MB)}\n`, YAML, 413],
    ];

    // Speed is the benchmarks' business (no timed unit tests); jest's timeout still bounds a hang.
    it.each(cases)('answers %s with a 4xx and stores nothing', async (_what, body, headers, status) => {
      const before = await countRows();
      const res = await admin.put('/api/v1/config', body, headers);
      expect(res.status).toBe(status);
      expect((await readJson(res)).error.code).toBeDefined();
      expect(await countRows()).toEqual(before);
    });
  });

  it('answers 415 for a body that is neither YAML nor JSON', async () => {
    const res = await admin.put('/api/v1/config', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((await readJson(res)).error.code).toBe('unsupported_media_type');
  });

  it('needs an admin key: 401 without one, 403 with a submitter key', async () => {
    expect((await t.app.request('/api/v1/config')).status).toBe(401);
    expect((await t.app.request('/api/v1/config', { headers: bearer(submitterKey) })).status).toBe(403);
    const put = await t.app.request('/api/v1/config', {
      method: 'PUT',
      body: 'version: 1',
      headers: { ...bearer(submitterKey), ...YAML },
    });
    expect(put.status).toBe(403);
  });
});
