import { sql } from 'kysely';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

async function expectOk(res: Response) {
  expect([res.status, res.status === 201 ? '' : await res.text()]).toEqual([201, '']);
}

describe('public job catalogue', () => {
  let t: TestApp;
  let admin: AdminClient;
  let submitterKey: string;
  const backend = uniqueName('be');
  const [align, report] = [uniqueName('align'), uniqueName('report')] as [string, string];
  const job = uniqueName('pipeline');
  const hidden = uniqueName('hidden');

  beforeAll(async () => {
    t = await createTestApp();
    admin = adminClient(t, await createTestKey(t.db, 'admin'));
    submitterKey = await createTestKey(t.db, 'submitter');
    await admin.put(`/api/v1/backends/${backend}`, {});
    await expectOk(
      await admin.put(`/api/v1/tasks/${align}`, {
        backend,
        executable: 'secret-aligner --token $P1 $P2 $P3 $I1',
        environment: { SECRET_TOKEN: 'do-not-show' },
        inputs: ['.fasta'],
        parameters: [
          { alias: 'mode', flag: '-m', type: 'choice', choices: ['fast', 'slow'], default: 'fast' },
          { alias: 'iterations', flag: '-n', type: 'integer', required: true, help: 'How many <rounds> to run' },
          { alias: 'verbose', flag: '-v', type: 'switch', default: 'true' },
        ],
      }),
    );
    await expectOk(
      await admin.put(`/api/v1/tasks/${report}`, {
        backend,
        executable: 'report $P1',
        parameters: [{ alias: 'title', flag: '-t', type: 'string' }],
      }),
    );
    await expectOk(
      await admin.put(`/api/v1/jobs/${job}`, {
        description: 'Aligns <b>sequences</b>',
        steps: [
          { task: align, ordering: 0 },
          { task: report, ordering: 1 },
        ],
        validators: ['seq'],
      }),
    );
    await admin.put(`/api/v1/jobs/${hidden}`, { runnable: false, steps: [{ task: report, ordering: 0 }] });
    const { id } = await t.db.selectFrom('jobs').select('id').where('name', '=', job).executeTakeFirstOrThrow();
    // Two complete runs of 300 s and 1800 s: A_A's estimate for these is 1049 s.
    for (const seconds of [300, 1800]) {
      await t.db
        .insertInto('submissions')
        .values({
          id: crypto.randomUUID(),
          job_id: id,
          job_name: job,
          name: 'timed',
          client_identity: 'test',
          status: 'complete',
          created_at: sql<Date>`now() - make_interval(secs => ${seconds}::integer)`,
          finished_at: sql<Date>`now()`,
        })
        .execute();
    }
  });
  afterAll(() => t.close());

  const expected = () => ({
    name: job,
    description: 'Aligns <b>sequences</b>',
    parameters: {
      type: 'object',
      properties: {
        [`${align}_mode`]: { type: 'string', title: 'mode', enum: ['fast', 'slow'], default: 'fast', 'x-task': align },
        [`${align}_iterations`]: {
          type: 'integer',
          title: 'iterations',
          description: 'How many <rounds> to run',
          'x-task': align,
        },
        [`${align}_verbose`]: { type: 'boolean', title: 'verbose', default: true, 'x-task': align },
        [`${report}_title`]: { type: 'string', title: 'title', maxLength: 4096, pattern: '^(?!-)', 'x-task': report },
      },
      required: [`${align}_iterations`],
      additionalProperties: false,
    },
    input: {
      field: 'input_data',
      required: true,
      endings: ['.fasta'],
      validators: ['seq'],
      maxBytes: t.config.limits.maxUploadBytes,
    },
    typicalRunSeconds: 1049,
    steps: 2,
  });

  it('answers anonymous callers and submitters with runnable jobs, parameters as JSON Schema and the typical run time', async () => {
    for (const headers of [{}, bearer(submitterKey)]) {
      const list = await readJson(await t.app.request('/api/v1/jobs', { headers }));
      expect(list).toContainEqual(expected());
      expect(list.map((j: { name: string }) => j.name)).not.toContain(hidden);
      const one = await t.app.request(`/api/v1/jobs/${job}`, { headers });
      expect(one.status).toBe(200);
      expect(await readJson(one)).toEqual(expected());
    }
  });

  it('never shows commands, environment or backends to submitters', async () => {
    const text = await (await t.app.request('/api/v1/jobs')).text();
    for (const secret of ['secret-aligner', 'SECRET_TOKEN', 'do-not-show', backend]) expect(text).not.toContain(secret);
  });

  it('answers 404 for a job that is not runnable, as for one that does not exist', async () => {
    const res = await t.app.request(`/api/v1/jobs/${hidden}`);
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
    expect((await t.app.request(`/api/v1/jobs/${uniqueName('none')}`)).status).toBe(404);
  });

  it('keeps the configuration view for admins, and gives them the public one on request', async () => {
    const configured = await readJson(await admin.get(`/api/v1/jobs/${hidden}`));
    expect(configured).toEqual({
      name: hidden,
      runnable: false,
      description: '',
      steps: [{ task: report, ordering: 0 }],
      validators: [],
    });
    expect(await readJson(await admin.get(`/api/v1/jobs/${job}?view=public`))).toEqual(expected());
  });

  it('refuses view=admin without an admin key (401, 403) and an unknown view (422)', async () => {
    expect((await t.app.request('/api/v1/jobs?view=admin')).status).toBe(401);
    expect((await t.app.request(`/api/v1/jobs/${job}?view=admin`, { headers: bearer(submitterKey) })).status).toBe(403);
    const bad = await t.app.request('/api/v1/jobs?view=everything');
    expect(bad.status).toBe(422);
    expect((await readJson(bad)).error.details[0].path).toBe('view');
  });
});
