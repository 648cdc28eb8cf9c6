import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { fileText, postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
const backend = uniqueName('graph');
const queue = `backend.${backend}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

async function task(name: string, body: Record<string, unknown>): Promise<void> {
  const res = await admin.put(`/api/v1/tasks/${name}`, { backend, ...body });
  if (res.status >= 300) throw new Error(`task ${name}: ${res.status} ${await res.text()}`);
}

async function job(name: string, steps: Record<string, unknown>[]): Promise<Response> {
  return admin.put(`/api/v1/jobs/${name}`, { steps });
}

/** Every step of the view, by name. */
function stepsByName(body: Body): Record<string, Body> {
  return Object.fromEntries(body.stages.flatMap((s: Body) => s.steps).map((s: Body) => [s.name, s]));
}

const ms = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  await admin.put(`/api/v1/backends/${backend}`, { taskQueue: queue });
  workers = await startTestWorkers(t.config, t.db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('jobs as graphs on the real stack', () => {
  it('runs a diamond: B and C overlap, D starts after both, and a slow branch does not hold a ready step', async () => {
    const name = uniqueName('diamond');
    await task(`${name}-sleep`, { executable: 'sleep 2' });
    await task(`${name}-quick`, { executable: 'sleep 0.2' });
    const res = await job(name, [
      { task: `${name}-quick`, ordering: 0, name: 'a' },
      { task: `${name}-sleep`, ordering: 1, name: 'b' },
      { task: `${name}-sleep`, ordering: 1, name: 'c' },
      { task: `${name}-quick`, ordering: 2, name: 'd' },
      // Waits only for a: a stage would have held it until b and c ended.
      { task: `${name}-quick`, ordering: 2, name: 'e', after: ['a'] },
    ]);
    expect(res.status).toBe(201);

    const body = await submitAndWait(t.app, name);

    expect(body.status).toBe('complete');
    const { a, b, c, d, e } = stepsByName(body);
    expect(d.parents).toEqual(['b', 'c']);
    expect(ms(b.startedAt)).toBeGreaterThanOrEqual(ms(a.finishedAt));
    expect(ms(b.startedAt)).toBeLessThan(ms(c.finishedAt));
    expect(ms(c.startedAt)).toBeLessThan(ms(b.finishedAt));
    expect(ms(d.startedAt)).toBeGreaterThanOrEqual(Math.max(ms(b.finishedAt), ms(c.finishedAt)));
    expect(ms(e.finishedAt)).toBeLessThan(Math.min(ms(b.finishedAt), ms(c.finishedAt)));
  });

  it('kills a running sibling (sleep 60) within 2 s of a failure under onFailure stop, and ends error', async () => {
    const name = uniqueName('stop');
    await task(`${name}-sleep`, { executable: 'sleep 60' });
    // Fails once the sibling's process is surely running.
    await task(`${name}-fail`, { executable: `sh -c 'sleep 1.5; exit 3'` });
    await job(name, [
      { task: `${name}-sleep`, ordering: 0, name: 'sleeper' },
      { task: `${name}-fail`, ordering: 0, name: 'failer' },
    ]);
    const created = await readJson(await postMultipart(t.app, name, {}));
    expect(await waitUntil(() => processesInDir(created.id).length >= 2, 20_000)).toBe(true);
    const sleeper = processesInDir(created.id);

    expect(await waitUntil(() => processesInDir(created.id).length <= 1, 20_000, 20)).toBe(true);
    const failedAt = Date.now();
    const dead = await waitUntil(() => sleeper.every((pid) => !isAlive(pid)), 2000, 20);
    const body = await waitForEnd(t.app, created.id, 20_000);

    expect(dead).toBe(true);
    expect(Date.now() - failedAt).toBeLessThan(2000);
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('exited with code 3');
    expect(stepsByName(body).sleeper.status).toBe('cancelled');
  });

  it('goes on past a failure under onFailure continue and runs a step whose condition asks for that error', async () => {
    const name = uniqueName('continue');
    await task(`${name}-fail`, { executable: `sh -c 'exit 4'` });
    await task(`${name}-ok`, { executable: 'true' });
    await job(name, [
      { task: `${name}-fail`, ordering: 0, name: 'flaky', onFailure: 'continue' },
      { task: `${name}-ok`, ordering: 1, name: 'cleanup', when: [{ step: 'flaky', exitCode: [4] }] },
      { task: `${name}-ok`, ordering: 1, name: 'report' },
    ]);

    const body = await submitAndWait(t.app, name);

    expect(body.status).toBe('complete');
    const steps = stepsByName(body);
    expect(steps.flaky.status).toBe('error');
    expect(steps.cleanup.status).toBe('complete');
    expect(steps.report.status).toBe('skipped');
    expect(steps.report.message).toBe('Skipped: flaky ended error');
  });

  it.each([
    ['true', 'complete', 'FIRST LINE\n'],
    ['false', 'skipped', 'FIRST LINE\nSECOND LINE\n'],
  ])('sample mode with sample=%s: the sampling step is %s and the check reads %j', async (sample, status, seen) => {
    const name = uniqueName('sample');
    await task(`${name}-sample`, {
      executable: `sh -c 'head -n 1 "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.sample.txt'],
      parameters: [{ alias: 'on', flag: '-s', type: 'switch' }],
    });
    await task(`${name}-check`, {
      executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.checked'],
    });
    const res = await job(name, [
      {
        task: `${name}-sample`,
        ordering: 0,
        name: 'sample',
        when: [{ parameter: `${name}-sample_on`, equals: 'true' }],
      },
      {
        task: `${name}-check`,
        ordering: 1,
        name: 'check',
        inputs: [{ from: ['sample/*.sample.txt', 'upload'], as: 'I1' }],
      },
    ]);
    expect(res.status).toBe(201);

    const body = await submitAndWait(t.app, name, { [`${name}-sample_on`]: sample }, 'first line\nsecond line\n');

    expect(body.status).toBe('complete');
    expect(stepsByName(body).sample.status).toBe(status);
    const checked = body.files.find((f: Body) => f.name.endsWith('.checked'));
    expect(await fileText(t.app, checked.url)).toBe(seen);
  });

  it('runs a step on a field of the outputs.json its parent wrote, and skips one whose field is not above the bound', async () => {
    const name = uniqueName('values');
    await task(`${name}-count`, {
      executable: `sh -c 'echo "{\\"errors\\": 3, \\"kind\\": \\"json\\"}" > outputs.json'`,
    });
    await task(`${name}-ok`, { executable: 'true' });
    await job(name, [
      { task: `${name}-count`, ordering: 0, name: 'count' },
      { task: `${name}-ok`, ordering: 1, name: 'is-json', when: [{ step: 'count', field: 'kind', equals: 'json' }] },
      { task: `${name}-ok`, ordering: 1, name: 'many', when: [{ step: 'count', field: 'errors', above: 10 }] },
    ]);

    const body = await submitAndWait(t.app, name);

    const steps = stepsByName(body);
    expect(steps['is-json'].status).toBe('complete');
    expect(steps.many.status).toBe('skipped');
    expect(steps.many.message).toBe("Skipped: count's errors is 3, not above 10");
  });
});

describe('graph configuration checks', () => {
  it.each([
    [
      [
        { ordering: 0, name: 'a', after: ['b'] },
        { ordering: 1, name: 'b' },
      ],
      'steps.0.after',
      'cycle: ',
    ],
    [[{ ordering: 0, name: 'a', after: ['nope'] }], 'steps.0.after.0', 'no step named "nope"'],
    [
      [
        { ordering: 0, name: 'a' },
        { ordering: 1, when: [{ step: 'ghost', status: ['complete'] }] },
      ],
      'steps.1.when.0.step',
      'no step named "ghost"',
    ],
    [
      [{ ordering: 0, when: [{ parameter: 'nobody_x', equals: '1' }] }],
      'steps.0.when.0.parameter',
      'no parameter "nobody_x"',
    ],
    [
      [
        { ordering: 0, name: 'a' },
        { ordering: 0, name: 'b', inputs: [{ from: 'a/*.txt' }] },
      ],
      'steps.1.inputs.0.from',
      '"a" is not upstream',
    ],
    [
      [
        { ordering: 0, name: 'a' },
        { ordering: 1, name: 'a' },
      ],
      'steps.1.name',
      'duplicate step name "a"',
    ],
  ])('refuses %j with 422 at %s and stores nothing', async (steps, path, message) => {
    const name = uniqueName('bad');
    await task(`${name}-t`, { executable: 'true' });

    const res = await job(
      name,
      steps.map((s) => ({ task: `${name}-t`, ...s })),
    );

    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.error.message).toContain(`${path}: ${message}`);
    expect((await admin.get(`/api/v1/jobs/${name}`)).status).toBe(404);
  });

  it('names the whole cycle', async () => {
    const name = uniqueName('cycle');
    await task(`${name}-t`, { executable: 'true' });
    const res = await job(name, [
      { task: `${name}-t`, ordering: 0, name: 'x', after: ['z'] },
      { task: `${name}-t`, ordering: 0, name: 'y', after: ['x'] },
      { task: `${name}-t`, ordering: 0, name: 'z', after: ['y'] },
    ]);
    expect(res.status).toBe(422);
    expect((await readJson(res)).error.message).toMatch(/cycle: (x → z → y → x|x → y → z → x)/);
  });
});
