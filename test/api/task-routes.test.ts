import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

const fullTask = (backend: string) => ({
  backend,
  description: 'Secondary structure from a PSSM',
  kind: 'command',
  interpreter: null,
  script: null,
  scriptSha256: null,
  executable: '/opt/psipred/bin/psipred $P1 $P2 $I1 /opt/psipred/data/weights.dat -o $O1 --id $ID --tmp $TMP',
  inputs: ['.mtx'],
  outputs: ['.ss', '.ss2'],
  stdout: '.log',
  environment: { ZED: 'last', PSIPRED_DATA: '/opt/psipred/data' },
  parameters: [
    {
      alias: 'iterations',
      flag: '-n',
      type: 'integer',
      default: '3',
      required: true,
      spacing: false,
      switchless: false,
      choices: null,
      allowLeadingDash: false,
      help: 'Rounds of refinement',
    },
    {
      alias: 'mode',
      flag: '--mode',
      type: 'choice',
      default: 'fast',
      required: false,
      spacing: true,
      switchless: false,
      choices: ['fast', 'slow'],
      allowLeadingDash: false,
      help: '',
    },
  ],
  customExitCodes: [3, 4],
  customExitBehaviour: 'terminate',
  incompleteOutputs: 'continue',
  retry: {
    maximumAttempts: 5,
    initialIntervalSeconds: 2,
    backoffCoefficient: 1.5,
    maximumIntervalSeconds: 60,
    retryableExitCodes: [75],
    retryableLimits: ['cpuSeconds'],
  },
  timeoutSeconds: 3600,
  limits: { cpuSeconds: 60, memoryBytes: 268435456, processes: 64, openFiles: 256, outputBytes: 1073741824 },
  version: '4.0',
  configuration: [{ type: 'Software', name: 'psipred', version: '4.0', parameters: '' }],
  slurm: {
    cpus: 2,
    memoryMiB: 4096,
    gpus: 1,
    partition: 'gpu',
    account: 'lab',
    qos: 'normal',
    sbatchOptions: ['--constraint=a100'],
  },
});

describe('task routes', () => {
  let t: TestApp;
  let admin: AdminClient;
  let submitterKey: string;
  const backend = uniqueName('be');

  beforeAll(async () => {
    t = await createTestApp();
    admin = adminClient(t, await createTestKey(t.db, 'admin'));
    submitterKey = await createTestKey(t.db, 'submitter');
    await admin.put(`/api/v1/backends/${backend}`, {});
  });
  afterAll(() => t.close());

  it('creates a task with every field and reads it back the same, environment sorted', async () => {
    const name = uniqueName('psipred');
    const res = await admin.put(`/api/v1/tasks/${name}`, fullTask(backend));
    expect(res.status).toBe(201);
    const expected = { name, ...fullTask(backend), environment: { PSIPRED_DATA: '/opt/psipred/data', ZED: 'last' } };
    expect(await readJson(res)).toEqual(expected);
    const got = await readJson(await admin.get(`/api/v1/tasks/${name}`));
    expect(got).toEqual(expected);
    expect(Object.keys(got.environment)).toEqual(['PSIPRED_DATA', 'ZED']);
  });

  it('writes every default explicitly for a minimal task', async () => {
    const name = uniqueName('min');
    await admin.put(`/api/v1/tasks/${name}`, { backend, executable: 'wc -l $I1', inputs: ['.txt'] });
    expect(await readJson(await admin.get(`/api/v1/tasks/${name}`))).toEqual({
      name,
      backend,
      description: '',
      kind: 'command',
      executable: 'wc -l $I1',
      interpreter: null,
      script: null,
      scriptSha256: null,
      inputs: ['.txt'],
      outputs: [],
      stdout: null,
      environment: {},
      parameters: [],
      customExitCodes: [],
      customExitBehaviour: 'fail',
      incompleteOutputs: 'fail',
      retry: {
        maximumAttempts: 3,
        initialIntervalSeconds: 1,
        backoffCoefficient: 2,
        maximumIntervalSeconds: null,
        retryableExitCodes: [],
        retryableLimits: [],
      },
      limits: { cpuSeconds: null, memoryBytes: null, processes: null, openFiles: null, outputBytes: null },
      timeoutSeconds: null,
      version: null,
      configuration: [],
      slurm: null,
    });
  });

  it('replaces parameters, environment and configuration on update (200)', async () => {
    const name = uniqueName('task');
    await admin.put(`/api/v1/tasks/${name}`, fullTask(backend));
    const res = await admin.put(`/api/v1/tasks/${name}`, {
      backend,
      executable: 'echo $P1',
      parameters: [{ alias: 'verbose', flag: '-v', type: 'switch', default: false }],
    });
    expect(res.status).toBe(200);
    const got = await readJson(await admin.get(`/api/v1/tasks/${name}`));
    expect(got.parameters).toEqual([
      {
        alias: 'verbose',
        flag: '-v',
        type: 'switch',
        default: 'false',
        required: false,
        spacing: true,
        switchless: false,
        choices: null,
        allowLeadingDash: false,
        help: '',
      },
    ]);
    expect(got.environment).toEqual({});
    expect(got.configuration).toEqual([]);
  });

  it('keeps aliases per task: two tasks may share one', async () => {
    for (const name of [uniqueName('a'), uniqueName('b')]) {
      const res = await admin.put(`/api/v1/tasks/${name}`, {
        backend,
        executable: 'x $P1',
        parameters: [{ alias: 'n', flag: '-n' }],
      });
      expect(res.status).toBe(201);
    }
  });

  it('answers 422 unknown_reference naming the field for an unknown backend, and changes nothing', async () => {
    const name = uniqueName('task');
    await admin.put(`/api/v1/tasks/${name}`, { backend, executable: 'true' });
    const res = await admin.put(`/api/v1/tasks/${name}`, { backend: uniqueName('nope'), executable: 'false' });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.code).toBe('unknown_reference');
    expect(body.error.details[0].path).toBe('backend');
    expect((await readJson(await admin.get(`/api/v1/tasks/${name}`))).executable).toBe('true');
  });

  it.each([
    [
      'duplicate aliases',
      'parameters.1.alias',
      { executable: 'x $P1 $P2', parameters: [{ alias: 'n' }, { alias: 'n' }] },
    ],
    [
      'a parameter placeholder past the last parameter',
      'executable',
      { executable: 'x $P1 $P3', parameters: [{ alias: 'a' }, { alias: 'b' }] },
    ],
    ['an input placeholder past the last input ending', 'executable', { executable: 'x $I2', inputs: ['.in'] }],
    ['an output placeholder with no output endings', 'executable', { executable: 'x $O1' }],
    ["A_A's old $INPUT syntax", 'executable', { executable: 'x $INPUT', inputs: ['.in'] }],
    ['$VALUE with no VALUE parameter', 'executable', { executable: 'x $VALUE' }],
    [
      'a choice parameter without choices',
      'parameters.0.choices',
      { executable: 'x', parameters: [{ alias: 'm', type: 'choice' }] },
    ],
    [
      'a default that does not fit the type',
      'parameters.0.default',
      { executable: 'x', parameters: [{ alias: 'n', type: 'integer', default: 'many' }] },
    ],
    [
      'a maximum retry interval shorter than the initial one',
      'retry.maximumIntervalSeconds',
      { executable: 'x', retry: { initialIntervalSeconds: 10, maximumIntervalSeconds: 5 } },
    ],
  ])('answers 422 unprocessable for %s, naming %s', async (_what, path, body) => {
    const res = await admin.put(`/api/v1/tasks/${uniqueName('bad')}`, { backend, ...body });
    expect(res.status).toBe(422);
    const json = await readJson(res);
    expect(json.error.code).toBe('unprocessable');
    expect(json.error.details[0].path).toBe(path);
  });

  it.each([
    ['an unknown field', '', { executable: 'x', custom_exit_status: '1' }],
    ['an unknown exit policy', 'customExitBehaviour', { executable: 'x', customExitBehaviour: 'explode' }],
    ['an exit code past 255', 'customExitCodes.0', { executable: 'x', customExitCodes: [500] }],
    ['an ending with a slash', 'inputs.0', { executable: 'x', inputs: ['../etc/passwd'] }],
    ['a bad environment name', 'environment.A-B', { executable: 'x', environment: { 'A-B': '1' } }],
  ])('answers 422 invalid_body for %s at "%s"', async (_what, path, body) => {
    const res = await admin.put(`/api/v1/tasks/${uniqueName('bad')}`, { backend, ...body });
    expect(res.status).toBe(422);
    const json = await readJson(res);
    expect(json.error.code).toBe('invalid_body');
    expect(json.error.details[0].path).toBe(path);
  });

  it('answers 422 unprocessable for a blank executable at "executable"', async () => {
    const res = await admin.put(`/api/v1/tasks/${uniqueName('bad')}`, { backend, executable: '  ' });
    expect(res.status).toBe(422);
    const json = await readJson(res);
    expect(json.error.code).toBe('unprocessable');
    expect(json.error.details[0].path).toBe('executable');
  });

  it('keeps unquoted YAML-style numbers and booleans as strings', async () => {
    const name = uniqueName('task');
    await admin.put(`/api/v1/tasks/${name}`, {
      backend,
      executable: 'x $P1',
      environment: { THREADS: 4 },
      version: 2,
      parameters: [{ alias: 'n', type: 'integer', default: 5 }],
    });
    const got = await readJson(await admin.get(`/api/v1/tasks/${name}`));
    expect([got.environment.THREADS, got.version, got.parameters[0].default]).toEqual(['4', '2', '5']);
  });

  it('deletes an unused task, and answers 404 after', async () => {
    const name = uniqueName('task');
    await admin.put(`/api/v1/tasks/${name}`, { backend, executable: 'true' });
    expect((await admin.del(`/api/v1/tasks/${name}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/tasks/${name}`)).status).toBe(404);
    expect((await admin.del(`/api/v1/tasks/${name}`)).status).toBe(404);
  });

  it('refuses with 409 to delete a task that jobs use, naming the jobs', async () => {
    const task = uniqueName('task');
    const jobs = [uniqueName('job-a'), uniqueName('job-b')];
    await admin.put(`/api/v1/tasks/${task}`, { backend, executable: 'true' });
    for (const job of jobs) await admin.put(`/api/v1/jobs/${job}`, { steps: [{ task, ordering: 0 }] });
    const res = await admin.del(`/api/v1/tasks/${task}`);
    expect(res.status).toBe(409);
    const body = await readJson(res);
    expect(body.error.code).toBe('conflict');
    expect(body.error.details[0].names).toEqual([...jobs].sort());
    expect((await admin.get(`/api/v1/tasks/${task}`)).status).toBe(200);
  });

  it('lists tasks sorted by name', async () => {
    const names = [uniqueName('zz'), uniqueName('aa')];
    for (const name of names) await admin.put(`/api/v1/tasks/${name}`, { backend, executable: 'true' });
    const listed: string[] = (await readJson(await admin.get('/api/v1/tasks'))).map((x: { name: string }) => x.name);
    expect(listed.indexOf(names[1]!)).toBeLessThan(listed.indexOf(names[0]!));
    expect([...listed].sort()).toEqual(listed);
  });

  it('needs an admin key: 401 without one, 403 with a submitter key', async () => {
    expect((await t.app.request('/api/v1/tasks')).status).toBe(401);
    expect((await t.app.request('/api/v1/tasks', { headers: bearer(submitterKey) })).status).toBe(403);
  });
});
