import type { Db } from '../../src/db/create-db.ts';
import type { SubmissionStatus } from '../../src/db/submissions.table.ts';
import { FACADE } from '../helpers/facade-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
const backend = uniqueName('facade-cat');
const get = (path: string) => t.app.request(`${FACADE}${path}`);

async function configure(
  task: string,
  rows: { type: 'Software' | 'Dataset' | 'Misc.'; name: string; version: string }[],
) {
  const { id } = await db.selectFrom('tasks').select('id').where('name', '=', task).executeTakeFirstOrThrow();
  for (const [position, row] of rows.entries()) {
    await db
      .insertInto('task_configurations')
      .values({ task_id: id, position, parameters: '', ...row })
      .execute();
  }
}

/** A finished submission of the job that took `seconds`, written straight into the table. */
async function ranFor(jobName: string, seconds: number, status: SubmissionStatus = 'complete') {
  const job = await db.selectFrom('jobs').select('id').where('name', '=', jobName).executeTakeFirst();
  const created = new Date('2016-03-21T12:00:00Z');
  await db
    .insertInto('submissions')
    .values({
      id: crypto.randomUUID(),
      job_id: job?.id ?? null,
      job_name: jobName,
      name: 'timed',
      client_identity: 'ip:10.0.0.1',
      status,
      created_at: created,
      finished_at: new Date(created.getTime() + seconds * 1000),
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
});

afterAll(async () => {
  await t.close();
});

describe('A_A facade job list', () => {
  it("pages jobs by ten in id order with DRF's count and absolute next and previous links", async () => {
    for (let i = 0; i < 12; i++) await seedJob(db, uniqueName('listed'), []);
    const all = await db.selectFrom('jobs').select(['id', 'name']).orderBy('id').execute();
    const pages = Math.ceil(all.length / 10);

    const first = await get('/job/?format=json');
    expect(first.status).toBe(200);
    expect(await readJson(first)).toEqual({
      count: all.length,
      next: 'http://localhost/analytics_automated/job/?format=json&page=2',
      previous: null,
      results: all.slice(0, 10).map((j) => ({ pk: j.id, name: j.name })),
    });

    const last = await readJson(await get('/job.json?page=last'));
    expect(last).toEqual({
      count: all.length,
      next: null,
      previous:
        pages === 2
          ? 'http://localhost/analytics_automated/job.json'
          : `http://localhost/analytics_automated/job.json?page=${pages - 1}`,
      results: all.slice((pages - 1) * 10).map((j) => ({ pk: j.id, name: j.name })),
    });
  });

  it('answers a page past the end with 404 "Invalid page."', async () => {
    const res = await get('/job/?page=9999');
    expect({ status: res.status, body: await res.text() }).toEqual({ status: 404, body: '{"detail":"Invalid page."}' });
  });
});

describe('A_A facade job detail', () => {
  it("shows the steps in ordering order with their tasks' configuration, byte for byte as A_A", async () => {
    const job = uniqueName('detail');
    await seedTask(db, { name: `${job}-ls`, backend, executable: 'ls' });
    await seedTask(db, { name: `${job}-grep`, backend, executable: 'grep' });
    await configure(`${job}-ls`, [
      { type: 'Dataset', name: 'dataset', version: '2' },
      { type: 'Software', name: 'ls', version: '1' },
    ]);
    await configure(`${job}-grep`, [{ type: 'Software', name: 'grep', version: '' }]);
    await seedJob(db, job, [
      { task: `${job}-grep`, ordering: 1 },
      { task: `${job}-ls`, ordering: 0 },
    ]);

    const expected =
      `{"name":"${job}","steps":[{"task":{"configuration":[{"type":"Dataset","name":"dataset","parameters":"","version":"2"},` +
      `{"type":"Software","name":"ls","parameters":"","version":"1"}]},"ordering":0},` +
      `{"task":{"configuration":[{"type":"Software","name":"grep","parameters":"","version":""}]},"ordering":1}]}`;
    for (const path of [`/job/${job}?format=json`, `/job/${job}`, `/job/${job}.json`]) {
      const res = await get(path);
      expect({ path, status: res.status, body: await res.text() }).toEqual({ path, status: 200, body: expected });
    }
  });
});

describe('A_A facade endpoints', () => {
  it('lists every job, runnable or not, with each parameter as a placeholder', async () => {
    const job = uniqueName('ends');
    await seedTask(db, {
      name: `${job}-a`,
      backend,
      executable: 'ls $P1',
      parameters: [{ alias: 'this', flag: '-l', type: 'switch' }],
    });
    await seedTask(db, {
      name: `${job}-b`,
      backend,
      executable: 'wc $P1',
      parameters: [{ alias: 'that', flag: '-n' }],
    });
    await seedJob(
      db,
      job,
      [
        { task: `${job}-a`, ordering: 0 },
        { task: `${job}-b`, ordering: 1 },
      ],
      { runnable: false },
    );

    const res = await get('/endpoints/?format=json');
    const body = await readJson(res);

    expect(res.status).toBe(200);
    expect(Object.keys(body)).toEqual(['jobs']);
    expect(body.jobs).toContain(
      `/submission/&job=${job}&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]&${job}-a_this=[TRUE/FALSE]&${job}-b_that=[VALUE]`,
    );
  });
});

describe('A_A facade jobtimes', () => {
  it('gives the KDE mode of complete runs, a single run as it is, and null for runs with no spread', async () => {
    const [two, one, same, none] = [uniqueName('two'), uniqueName('one'), uniqueName('same'), uniqueName('none')];
    for (const name of [two, one, same, none]) await seedJob(db, name, []);
    await ranFor(two, 1800);
    await ranFor(two, 300);
    await ranFor(two, 5, 'error');
    await ranFor(one, 2700);
    await ranFor(same, 60);
    await ranFor(same, 60);
    await ranFor(none, 100, 'running');
    await ranFor(uniqueName('deleted-job'), 100);

    const res = await get('/jobtimes/?format=json');
    const body = await readJson(res);

    expect(res.status).toBe(200);
    expect(body).toMatchObject({ [two]: 1049, [one]: 2700, [same]: null });
    expect(Object.keys(body).filter((k) => k.startsWith('none-') || k.startsWith('deleted-job-'))).toEqual([]);
  });
});
