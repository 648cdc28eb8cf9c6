import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Db } from '../../src/db/create-db.ts';
import { download, FACADE, pollBatch, postToFacade } from '../helpers/facade-client.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('facade');
const queue = `backend.${backend}`;
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();
const taskId = async (name: string) =>
  (await db.selectFrom('tasks').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('A_A facade submissions on the real stack', () => {
  it('runs job=a,b as one batch that a client polls until Complete and whose data_path files it downloads', async () => {
    const a = uniqueName('upper');
    const b = uniqueName('rev');
    await seedTask(db, {
      name: `${a}-up`,
      backend,
      executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.upper'],
    });
    await seedTask(db, {
      name: `${a}-count`,
      backend,
      executable: `sh -c 'wc -c < "$1" | tr -d " " > "$2"' sh $I1 $O1`,
      inputs: ['.upper'],
      outputs: ['.count'],
    });
    await seedTask(db, {
      name: `${b}-rev`,
      backend,
      executable: `sh -c 'rev "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.rev'],
    });
    await seedJob(db, a, [
      { task: `${a}-up`, ordering: 0 },
      { task: `${a}-count`, ordering: 1 },
    ]);
    await seedJob(db, b, [{ task: `${b}-rev`, ordering: 0 }]);

    const res = await postToFacade(
      t.app,
      { job: `${a},${b}`, submission_name: 'test', email: 'a@b.com' },
      'hello world\n',
      '/submission/.json',
    );
    const created = await readJson(res);
    expect(res.status).toBe(201);
    // A_A's two keys, then the control token an anonymous batch gets (not in A_A).
    expect(Object.keys(created)).toEqual(['UUID', 'submission_name', 'control_token']);
    expect(created.submission_name).toBe('test');

    const early = await readJson(await t.app.request(`${FACADE}/submission/${created.UUID}?format=json`));
    expect(['Submitted', 'Running', 'Complete']).toContain(early.state);

    const batch = await pollBatch(t.app, created.UUID);
    expect(batch).toMatchObject({ UUID: created.UUID, state: 'Complete' });
    expect(batch.submissions.map((s: { job_name: string }) => s.job_name).sort()).toEqual([a, b].sort());
    const first = batch.submissions.find((s: { job_name: string }) => s.job_name === a);
    expect(Object.keys(first)).toEqual([
      'submission_name',
      'job_name',
      'UUID',
      'state',
      'last_message',
      'email',
      'input_file',
      'results',
    ]);
    expect(first).toMatchObject({ submission_name: 'test', state: 'Complete', email: 'a@b.com' });
    expect(first.results).toEqual([
      {
        task: await taskId(`${a}-up`),
        name: `${a}-up`,
        message: 'Result',
        step: 1,
        data_path: expect.stringMatching(/^\/submissions\/.+\.upper$/),
      },
      {
        task: await taskId(`${a}-count`),
        name: `${a}-count`,
        message: 'Result',
        step: 2,
        data_path: expect.stringMatching(/\.count$/),
      },
    ]);
    expect(text(await download(t.app, first.results[0].data_path))).toBe('HELLO WORLD\n');
    expect(text(await download(t.app, first.results[1].data_path))).toBe('12\n');
    expect(text(await download(t.app, first.input_file))).toBe('hello world\n');
    const second = batch.submissions.find((s: { job_name: string }) => s.job_name === b);
    expect(text(await download(t.app, second.results[0].data_path))).toBe('dlrow olleh\n');

    const single = await t.app.request(`${FACADE}/submission/single/${first.UUID}.json`);
    expect(single.status).toBe(200);
    expect(await readJson(single)).toEqual(first);
  });

  it('answers a single job with a batch UUID too, and the downloaded bytes match the upload exactly', async () => {
    const job = uniqueName('copy');
    await seedTask(db, { name: `${job}-cp`, backend, executable: 'cp $I1 $O1', inputs: ['.bin'], outputs: ['.copy'] });
    await seedJob(db, job, [{ task: `${job}-cp`, ordering: 0 }]);
    const bytes = new Uint8Array(randomBytes(300_000));

    const created = await readJson(
      await postToFacade(t.app, { job, submission_name: 'bin', email: '' }, bytes, '/submission.json'),
    );
    const batch = await pollBatch(t.app, created.UUID);

    expect(batch.state).toBe('Complete');
    expect(batch.submissions).toHaveLength(1);
    expect(batch.submissions[0].email).toBeNull();
    expect(Buffer.compare(await download(t.app, batch.submissions[0].results[0].data_path), bytes)).toBe(0);
    expect((await t.app.request(`${FACADE}/submission/single/${created.UUID}`)).status).toBe(404);
  });

  it('accepts a value with punctuation as data and passes "; rm -rf /" to the program as one literal argument', async () => {
    const job = uniqueName('echo');
    await seedTask(db, {
      name: `${job}-args`,
      backend,
      executable: `sh -c 'printf "%s|" "$#" "$@"' sh $P1`,
      stdoutEnding: 'out',
      outputs: ['.out'],
      parameters: [{ alias: 'text', switchless: true, required: true }],
    });
    await seedJob(db, job, [{ task: `${job}-args`, ordering: 0 }]);

    const res = await postToFacade(t.app, {
      job,
      submission_name: 'x',
      email: 'a@b.com',
      [`${job}-args_text`]: '; rm -rf /',
      colour: 'blue',
    });
    expect(res.status).toBe(201);
    const batch = await pollBatch(t.app, (await readJson(res)).UUID);

    expect(batch.state).toBe('Complete');
    expect(text(await download(t.app, batch.submissions[0].results[0].data_path))).toBe('1|; rm -rf /|');
  });

  it('treats POST submission/single/<uuid> as a submission, as A_A did', async () => {
    const job = uniqueName('single');
    await seedTask(db, { name: `${job}-t`, backend, executable: 'true' });
    await seedJob(db, job, [{ task: `${job}-t`, ordering: 0 }]);

    const res = await postToFacade(
      t.app,
      { job, submission_name: 's', email: 'a@b.com' },
      '',
      `/submission/single/${crypto.randomUUID()}`,
    );

    expect(res.status).toBe(201);
    expect((await pollBatch(t.app, (await readJson(res)).UUID)).state).toBe('Complete');
  });

  it('shows a failed submission as Error and the batch with it', async () => {
    const ok = uniqueName('ok');
    const bad = uniqueName('bad');
    await seedTask(db, { name: `${ok}-t`, backend, executable: 'true' });
    await seedTask(db, { name: `${bad}-t`, backend, executable: `sh -c 'exit 3'` });
    await seedJob(db, ok, [{ task: `${ok}-t`, ordering: 0 }]);
    await seedJob(db, bad, [{ task: `${bad}-t`, ordering: 0 }]);

    const created = await readJson(
      await postToFacade(t.app, { job: `${ok},${bad}`, submission_name: 'e', email: 'a@b.com' }),
    );
    // The batch turns Error as soon as one fails; wait for the other to finish too.
    let batch = await pollBatch(t.app, created.UUID);
    while (batch.submissions.some((s: { state: string }) => !['Complete', 'Error'].includes(s.state))) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      batch = await pollBatch(t.app, created.UUID);
    }

    expect(batch.state).toBe('Error');
    const states = Object.fromEntries(
      batch.submissions.map((s: { job_name: string; state: string }) => [s.job_name, s.state]),
    );
    expect(states).toEqual({ [ok]: 'Complete', [bad]: 'Error' });
  });

  it("serves the flow of A_A's example clients over real HTTP: post, poll with Accept */*, join base URL and data_path", async () => {
    const job = uniqueName('http');
    await seedTask(db, {
      name: `${job}-up`,
      backend,
      executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.up'],
    });
    await seedJob(db, job, [{ task: `${job}-up`, ordering: 0 }]);
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/analytics_automated`;
    try {
      const form = new FormData();
      for (const [key, value] of Object.entries({ job, submission_name: 'test', email: 'a@b.com' }))
        form.set(key, value);
      form.set('input_data', new Blob(['over http\n']), 'input.txt');
      const posted = await fetch(`${base}/submission/.json`, {
        method: 'POST',
        body: form,
        headers: { accept: '*/*' },
      });
      expect(posted.status).toBe(201);
      const { UUID } = await readJson(posted);

      let batch;
      do {
        await new Promise((resolve) => setTimeout(resolve, 200));
        batch = await readJson(await fetch(`${base}/submission/${UUID}`, { headers: { accept: '*/*' } }));
      } while (!['Complete', 'Error', 'Crash'].includes(batch.state));

      expect(batch.state).toBe('Complete');
      const file = await fetch(`${base}${batch.submissions[0].results[0].data_path}`);
      expect(await file.text()).toBe('OVER HTTP\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
