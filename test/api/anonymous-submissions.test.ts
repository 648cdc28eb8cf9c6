import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { FACADE } from '../helpers/facade-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

// ALLOW_ANONYMOUS=false: submitting needs a key, on the native API and on the A_A facade alike.
let closed: TestApp;
let open: TestApp;
let job: string;
let submitterKey: string;

function postNative(t: TestApp, headers: Record<string, string> = {}) {
  return t.app.request(`/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ submissionName: 'anonymous', input: 'x\n' }),
  });
}

function postFacade(t: TestApp, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries({ job, submission_name: 'anonymous', email: 'a@example.org' }))
    form.set(key, value);
  form.set('input_data', new Blob(['x\n']), 'input.txt');
  return t.app.request(`${FACADE}/submission/`, { method: 'POST', body: form, headers });
}

async function countSubmissions(): Promise<number> {
  const rows = await closed.db.selectFrom('submissions').select('id').where('job_name', '=', job).execute();
  return rows.length;
}

beforeAll(async () => {
  closed = await createTestApp({ ALLOW_ANONYMOUS: 'false' });
  open = await createTestApp();
  // No worker serves this queue: the tests are about what POST accepts, not about running.
  const backend = uniqueName('anonymous');
  await seedBackend(closed.db, backend, `backend.${backend}`);
  job = uniqueName('job');
  await seedTask(closed.db, { name: `${job}-task`, backend, executable: 'true' });
  await seedJob(closed.db, job, [{ task: `${job}-task`, ordering: 0 }]);
  submitterKey = await createTestKey(closed.db, 'submitter');
});

afterAll(async () => {
  await closed.close();
  await open.close();
});

describe('ALLOW_ANONYMOUS=false', () => {
  it('answers an anonymous native POST 401 unauthorized and stores nothing', async () => {
    const res = await postNative(closed);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect((await readJson(res)).error.code).toBe('unauthorized');
    expect(await countSubmissions()).toBe(0);
  });

  it('answers an anonymous facade POST 401 with the facade body and stores nothing', async () => {
    const res = await postFacade(closed);
    expect(res.status).toBe(401);
    expect(await readJson(res)).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(await countSubmissions()).toBe(0);
  });

  it('still takes submissions sent with a submitter key, on both APIs', async () => {
    const native = await postNative(closed, bearer(submitterKey));
    expect(native.status).toBe(201);
    expect((await readJson(native)).status).toBe('submitted');
    const facade = await postFacade(closed, bearer(submitterKey));
    expect(facade.status).toBe(201);
    expect(await countSubmissions()).toBe(2);
  });
});

describe('ALLOW_ANONYMOUS unset (A_A behaviour)', () => {
  it('takes anonymous submissions on both APIs', async () => {
    expect((await postNative(open)).status).toBe(201);
    expect((await postFacade(open)).status).toBe(201);
  });
});
