import { STATUS_COLOURS } from '../../src/api/render-progress-svg.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { allElements, parseXml, textOf, type XmlElement } from '../helpers/parse-xml.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const stepsOf = (svg: XmlElement) => allElements(svg).filter((e) => e.attrs.class === 'step');
const fillOf = (step: XmlElement) => step.children.find((c) => c.name === 'rect')!.attrs.fill;

describe('GET /api/v1/submissions/{id}/graph.svg', () => {
  let t: TestApp;
  let workers: RunningWorkers;
  const backend = uniqueName('graph');
  const job = uniqueName('pipeline');
  const failing = uniqueName('failing');
  // Task names are data too: written straight to the database, nothing stops markup reaching the renderer.
  const scriptTask = `<script>alert("${uniqueName('x')}")</script>`;

  beforeAll(async () => {
    t = await createTestApp();
    await seedBackend(t.db, backend, `backend.${backend}`);
    await seedTask(t.db, { name: `${job}-first`, backend, executable: 'true' });
    await seedTask(t.db, { name: scriptTask, backend, executable: 'true' });
    await seedTask(t.db, { name: `${job}-third`, backend, executable: 'true' });
    await seedJob(t.db, job, [
      { task: `${job}-first`, ordering: 0 },
      { task: scriptTask, ordering: 1 },
      { task: `${job}-third`, ordering: 1 },
    ]);
    await seedTask(t.db, { name: `${failing}-task`, backend, executable: 'false' });
    await seedJob(t.db, failing, [{ task: `${failing}-task`, ordering: 0 }]);
    workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  });
  afterAll(async () => {
    await workers.stop();
    await t.close();
  });

  it('draws a finished submission as well-formed SVG: two stages, every step green, markup in names kept as text', async () => {
    const done = await submitAndWait(t.app, job, { submission_name: '<script>alert(1)</script> & co' });
    expect(done.status).toBe('complete');
    expect(done.links.graph).toBe(`/api/v1/submissions/${done.id}/graph.svg`);
    const res = await t.app.request(done.links.graph);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await res.text();
    expect(text).not.toContain('<script');
    const svg = parseXml(text);
    expect(svg.name).toBe('svg');
    expect(allElements(svg).filter((e) => e.attrs.class === 'stage')).toHaveLength(2);
    const steps = stepsOf(svg);
    expect(steps.map((s) => s.attrs['data-status'])).toEqual(['complete', 'complete', 'complete']);
    expect(steps.map(fillOf)).toEqual(Array(3).fill(STATUS_COLOURS.complete!.fill));
    expect(textOf(svg)).toContain('<script>alert(1)</script> & co');
    expect(textOf(steps[1]!)).toContain(scriptTask);
  });

  it('colours a failed step as an error', async () => {
    const done = await submitAndWait(t.app, failing);
    expect(done.status).toBe('error');
    const svg = parseXml(await (await t.app.request(`/api/v1/submissions/${done.id}/graph.svg`)).text());
    const [step] = stepsOf(svg);
    expect(step!.attrs['data-status']).toBe('error');
    expect(fillOf(step!)).toBe(STATUS_COLOURS.error!.fill);
  });

  it("shows a user's submission only to that user and admins, and answers 404 for an unknown id", async () => {
    const owner = await createTestKey(t.db, 'submitter');
    const form = new FormData();
    form.set('submission_name', 'mine');
    form.set('input_data', new Blob(['x']), 'in.txt');
    const created = await readJson(
      await t.app.request(`/api/v1/jobs/${job}/submissions`, { method: 'POST', body: form, headers: bearer(owner) }),
    );
    const url = `/api/v1/submissions/${created.id}/graph.svg`;
    expect((await t.app.request(url, { headers: bearer(owner) })).status).toBe(200);
    expect((await t.app.request(url, { headers: bearer(await createTestKey(t.db, 'admin')) })).status).toBe(200);
    const stranger = await t.app.request(url, { headers: bearer(await createTestKey(t.db, 'submitter')) });
    expect(stranger.status).toBe(404);
    expect((await readJson(stranger)).error.code).toBe('not_found');
    expect((await t.app.request(url)).status).toBe(404);
    expect((await t.app.request('/api/v1/submissions/00000000-0000-4000-8000-000000000000/graph.svg')).status).toBe(
      404,
    );
    for (let i = 0; i < 10; i++) {
      const body = await readJson(
        await t.app.request(`/api/v1/submissions/${created.id}?wait=10`, { headers: bearer(owner) }),
      );
      if (body.status === 'complete') break;
    }
  });

  it('draws a submission still waiting for its steps with them pending', async () => {
    const res = await postMultipart(t.app, job, { submission_name: 'fresh' });
    const { id } = await readJson(res);
    const svg = parseXml(await (await t.app.request(`/api/v1/submissions/${id}/graph.svg`)).text());
    expect(stepsOf(svg).map((s) => s.attrs['data-status'])).toContain('pending');
    await waitForEnd(t.app, id);
  });
});
