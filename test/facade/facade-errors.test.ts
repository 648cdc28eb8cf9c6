import type { Db } from '../../src/db/create-db.ts';
import { FACADE, postToFacade } from '../helpers/facade-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
const backend = uniqueName('facade-err');
const fields = (job: string, extra: Record<string, string> = {}) => ({
  job,
  submission_name: 'test',
  email: 'a@b.com',
  ...extra,
});

/** A runnable one-step job, uniquely named, with optional parameters. */
async function job(
  parameters: Parameters<typeof seedTask>[1]['parameters'] = [],
  options: Parameters<typeof seedJob>[3] = {},
) {
  const name = uniqueName('job');
  await seedTask(db, { name: `${name}-t`, backend, executable: 'true', parameters });
  await seedJob(db, name, [{ task: `${name}-t`, ordering: 0 }], options);
  return name;
}

async function counts() {
  const [submissions, batches] = await Promise.all([
    db
      .selectFrom('submissions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('batches')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { submissions: Number(submissions.n), batches: Number(batches.n) };
}

/** Sends the request and expects A_A's exact status and compact JSON body, with nothing stored. */
async function expectRefusal(request: Promise<Response> | Response, status: number, body: unknown) {
  const before = await counts();
  const res = await request;
  expect({ status: res.status, body: await res.text() }).toEqual({ status, body: JSON.stringify(body) });
  expect(await counts()).toEqual(before);
}

beforeAll(async () => {
  t = await createTestApp({}, new Map([['reject_all', () => false]]));
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
});

afterAll(async () => {
  await t.close();
});

describe('A_A facade refusals', () => {
  it("answers a JSON body with 415 and DRF's message", async () => {
    const request = t.app.request(`${FACADE}/submission/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields(await job())),
    });
    await expectRefusal(request, 415, { detail: 'Unsupported media type "application/json" in request.' });
  });

  it('answers 400 when job, submission_name or email is missing', async () => {
    await expectRefusal(postToFacade(t.app, { job: await job(), submission_name: 'test' }), 400, {
      error: 'Input does not contain all required fields',
    });
  });

  it('answers 400 when any of the comma-separated jobs does not exist', async () => {
    await expectRefusal(postToFacade(t.app, fields(`${await job()},no-such-job`)), 400, {
      error: 'Job name supplied does not exist',
    });
  });

  it('answers 403 for a job that is not runnable', async () => {
    const name = await job([], { runnable: false });
    await expectRefusal(postToFacade(t.app, fields(name)), 403, {
      error: `${name} is present but currently disabled.`,
    });
  });

  it('answers 400 for a job without steps', async () => {
    const name = uniqueName('empty');
    await seedJob(db, name, []);
    await expectRefusal(postToFacade(t.app, fields(name)), 400, {
      error: `Job Requested: ${name} appears to have no Steps`,
    });
  });

  it("answers 400 with A_A's message when a required parameter is missing", async () => {
    const name = await job([{ alias: 'n', type: 'integer', required: true }]);
    await expectRefusal(postToFacade(t.app, fields(name)), 400, {
      error: `Required Parameter for ${name} Missing.You are missing a required parameter in your web form submission. GET /analytics_automated/endpoints to discover all required options`,
    });
  });

  it('answers 400 naming the parameter when a value does not fit its type', async () => {
    const name = await job([{ alias: 'n', type: 'integer', required: true }]);
    await expectRefusal(postToFacade(t.app, fields(name, { [`${name}-t_n`]: 'x' })), 400, {
      error: `Required Parameter for ${name} Missing.Parameter ${name}-t_n must be an integer, got "x". GET /analytics_automated/endpoints to discover all required options`,
    });
  });

  it('answers 400 with a Django form error when a validator rejects the input', async () => {
    const name = await job([], { validators: ['reject_all'] });
    await expectRefusal(postToFacade(t.app, fields(name)), 400, {
      error: { input_data: ['Input data could not be validated'] },
    });
  });

  it('answers 400 with every Django form error: blank name, bad email, no file', async () => {
    await expectRefusal(
      postToFacade(t.app, fields(await job(), { submission_name: ' ', email: 'not-an-address' }), null),
      400,
      {
        error: {
          submission_name: ['This field is required.'],
          email: ['Enter a valid email address.'],
          input_data: ['This field is required.'],
        },
      },
    );
  });

  it('reads a form-urlencoded body, which cannot carry the input file', async () => {
    const request = t.app.request(`${FACADE}/submission/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields(await job())).toString(),
    });
    await expectRefusal(request, 400, { error: { input_data: ['This field is required.'] } });
  });

  it("answers 429 with A_A's message and the active count when the client is over the hard limit", async () => {
    const limited = await createTestApp({ QUEUE_HARD_LIMIT: '1' });
    const name = await job();
    // One active submission of this client puts it at the limit.
    const id = crypto.randomUUID();
    await db
      .insertInto('submissions')
      .values({ id, job_name: name, name: 'active', client_identity: 'ip:127.0.0.1', status: 'running' })
      .execute();
    try {
      const { n } = await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('client_identity', '=', 'ip:127.0.0.1')
        .where('status', 'in', ['submitted', 'running'])
        .executeTakeFirstOrThrow();
      await expectRefusal(postToFacade(limited.app, fields(name)), 429, {
        error: `You have no authority to post jobs.Either you are not logged in you have too many, ${n}, concurrent jobs running`,
      });
    } finally {
      await db.deleteFrom('submissions').where('id', '=', id).execute();
      await limited.close();
    }
  });
});

describe('A_A facade reads that find nothing', () => {
  it.each([
    ['an unknown batch', `/submission/${crypto.randomUUID()}`],
    ['an unknown batch with .json', `/submission/${crypto.randomUUID()}.json`],
    ['an unknown submission', `/submission/single/${crypto.randomUUID()}?format=json`],
    ['a malformed uuid', '/submission/not-a-uuid-at-all-really-no'],
    ['an unknown job', '/job/no-such-job?format=json'],
    ['an unknown file', `/submissions/${crypto.randomUUID()}/x.out`],
    ['a path A_A never had', '/nothing/here'],
    ['a format nothing renders', '/endpoints/?format=xml'],
    ['GET submission/ without a uuid', '/submission/'],
  ])('answers 404 {"detail":"Not found."} for %s', async (_what, path) => {
    const res = await t.app.request(`${FACADE}${path}`);
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 404, body: '{"detail":"Not found."}' });
  });

  it.each([
    ['DELETE', '/submission/', 'GET, POST, HEAD, OPTIONS'],
    ['PUT', '/job/', 'GET, HEAD, OPTIONS'],
    ['POST', `/submission/${crypto.randomUUID()}`, 'GET, DELETE, HEAD, OPTIONS'],
    ['PATCH', '/jobtimes/', 'GET, HEAD, OPTIONS'],
  ])('answers %s %s with 405 and the allowed methods', async (method, path, allow) => {
    const res = await t.app.request(`${FACADE}${path}`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(await res.text()).toBe(JSON.stringify({ detail: `Method "${method}" not allowed.` }));
  });

  it("answers OPTIONS with the view's allowed methods, as DRF did", async () => {
    const res = await t.app.request(`${FACADE}/job/`, { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await readJson(res)).toMatchObject({ name: 'Job List' });
  });
});
