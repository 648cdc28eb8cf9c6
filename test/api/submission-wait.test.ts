import { postMultipart } from '../helpers/submission-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, testTemporalClient, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

describe('GET /api/v1/submissions/{id}?wait', () => {
  let t: TestApp;
  let workers: RunningWorkers;
  const backend = uniqueName('wait');
  const job = uniqueName('two-stage');

  beforeAll(async () => {
    t = await createTestApp();
    await seedBackend(t.db, backend, `backend.${backend}`);
    await seedTask(t.db, { name: `${job}-quick`, backend, executable: 'sleep 3' });
    await seedTask(t.db, { name: `${job}-slow`, backend, executable: 'sleep 60' });
    await seedJob(t.db, job, [
      { task: `${job}-quick`, ordering: 0 },
      { task: `${job}-slow`, ordering: 1 },
    ]);
    workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  });
  afterAll(async () => {
    await workers.stop();
    await t.close();
  });

  it('answers as soon as a step moves while the submission stays running, and after the wait when nothing moves', async () => {
    const { id } = await readJson(await postMultipart(t.app, job, {}));
    const seen: string[] = [];
    let body;
    for (let i = 0; i < 20; i++) {
      const started = Date.now();
      body = await readJson(await t.app.request(`/api/v1/submissions/${id}?wait=30`));
      expect(Date.now() - started).toBeLessThan(10_000);
      seen.push(
        `${body.status} ${body.stages.map((s: { steps: { status: string }[] }) => s.steps[0]!.status).join(',')}`,
      );
      if (body.stages[1].steps[0].status === 'running') break;
    }
    // Under load two moves can land between two readings; what matters is answers while it stays running.
    expect(new Set(seen.filter((s) => s.startsWith('running '))).size).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe('running complete,running');

    const started = Date.now();
    const quiet = await readJson(await t.app.request(`/api/v1/submissions/${id}?wait=1`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(quiet.stages[1].steps[0].status).toBe('running');

    const client = await testTemporalClient(t.config);
    await client.workflow.getHandle(`submission-${id}`).cancel();
    await client.connection.close();
  }, 60_000);

  it('refuses a wait over 60 seconds with 422 invalid_body, a status its OpenAPI operation declares', async () => {
    const { id } = await readJson(await postMultipart(t.app, job, {}));
    const res = await t.app.request(`/api/v1/submissions/${id}?wait=61`);
    expect(res.status).toBe(422);
    expect((await readJson(res)).error).toMatchObject({
      code: 'invalid_body',
      message: expect.stringMatching(/^wait/),
    });
    const doc = await readJson(await t.app.request('/openapi.json'));
    expect(Object.keys(doc.paths['/api/v1/submissions/{id}'].get.responses)).toContain('422');

    const client = await testTemporalClient(t.config);
    await client.workflow.getHandle(`submission-${id}`).cancel();
    await client.connection.close();
  });
});
