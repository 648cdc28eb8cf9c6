import type { Db } from '../../src/db/create-db.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, submitAndWait } from '../helpers/submission-client.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('exec');
const queue = `backend.${backend}`;

/** A one-step job around a task, named uniquely. */
async function oneStepJob(
  task: Parameters<typeof seedTask>[1] extends infer S ? Omit<S & object, 'name' | 'backend'> : never,
) {
  const name = uniqueName('job');
  await seedTask(db, { name: `${name}-task`, backend, ...task });
  await seedJob(db, name, [{ task: `${name}-task`, ordering: 0 }]);
  return name;
}

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

describe('submission execution on the real stack', () => {
  it('runs a two-stage job whose second stage runs two steps in parallel on the first stage output', async () => {
    const job = uniqueName('pipeline');
    await seedTask(db, {
      name: `${job}-upper`,
      backend,
      executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.upper'],
    });
    await seedTask(db, {
      name: `${job}-count`,
      backend,
      executable: `sh -c 'sleep 1; wc -c < "$1" | tr -d " " > "$2"' sh $I1 $O1`,
      inputs: ['.upper'],
      outputs: ['.count'],
    });
    await seedTask(db, {
      name: `${job}-rev`,
      backend,
      executable: `sh -c 'sleep 1; rev "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.upper'],
      outputs: ['.rev'],
    });
    await seedJob(db, job, [
      { task: `${job}-upper`, ordering: 0 },
      { task: `${job}-count`, ordering: 5 },
      { task: `${job}-rev`, ordering: 5 },
    ]);

    const body = await submitAndWait(t.app, job, {}, 'hello world\n');

    expect(body.status).toBe('complete');
    expect(body.stages.map((s: { steps: unknown[] }) => s.steps.length)).toEqual([1, 2]);
    const results = Object.fromEntries(
      body.files
        .filter((f: { kind: string }) => f.kind === 'result')
        .map((f: { name: string; url: string }) => [f.name.slice(36), f.url]),
    );
    expect(await fileText(t.app, results['.upper'])).toBe('HELLO WORLD\n');
    expect(await fileText(t.app, results['.count'])).toBe('12\n');
    expect(await fileText(t.app, results['.rev'])).toBe('DLROW OLLEH\n');
    const [count, rev] = body.stages[1].steps;
    expect(Date.parse(count.startedAt)).toBeLessThan(Date.parse(rev.finishedAt));
    expect(Date.parse(rev.startedAt)).toBeLessThan(Date.parse(count.finishedAt));
  });

  it.each([
    ['continue', 'complete', 'complete'],
    ['terminate', 'complete', 'pending'],
    ['fail', 'error', 'pending'],
  ])('follows the custom exit code policy %s for sh -c "exit 123"', async (policy, status, secondStep) => {
    const job = uniqueName(`exit-${policy}`);
    await seedTask(db, {
      name: `${job}-a`,
      backend,
      executable: `sh -c 'exit 123'`,
      customExitCodes: [123],
      customExitBehaviour: policy as 'fail',
    });
    await seedTask(db, { name: `${job}-b`, backend, executable: 'true' });
    await seedJob(db, job, [
      { task: `${job}-a`, ordering: 0 },
      { task: `${job}-b`, ordering: 1 },
    ]);

    const body = await submitAndWait(t.app, job);

    expect(body.status).toBe(status);
    expect(body.stages[0].steps[0].exitCode).toBe(123);
    expect(body.stages[1].steps[0].status).toBe(secondStep);
  });

  it('fails the job on an exit code that is not listed', async () => {
    const body = await submitAndWait(
      t.app,
      await oneStepJob({ executable: `sh -c 'exit 5'`, customExitCodes: [123], customExitBehaviour: 'continue' }),
    );
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('exited with code 5');
  });

  it.each([
    ['continue', 'complete', 'complete'],
    ['terminate', 'complete', 'pending'],
    ['fail', 'error', 'pending'],
  ])('follows the incomplete outputs policy %s when an output is missing', async (policy, status, secondStep) => {
    const job = uniqueName(`missing-${policy}`);
    await seedTask(db, {
      name: `${job}-a`,
      backend,
      executable: 'true',
      outputs: ['.never'],
      incompleteOutputs: policy as 'fail',
    });
    await seedTask(db, { name: `${job}-b`, backend, executable: 'true' });
    await seedJob(db, job, [
      { task: `${job}-a`, ordering: 0 },
      { task: `${job}-b`, ordering: 1 },
    ]);

    const body = await submitAndWait(t.app, job);

    expect(body.status).toBe(status);
    expect(body.stages[0].steps[0].message).toContain('.never');
    expect(body.stages[1].steps[0].status).toBe(secondStep);
  });

  it('retries a failing step with a retryable exit code and then succeeds', async () => {
    const job = await oneStepJob({
      executable: `sh -c 'test -f "$1" || { touch "$1"; exit 7; }' sh /tmp/aa-retry-$ID`,
      retry: { maximumAttempts: 3, initialIntervalSeconds: 1, retryableExitCodes: [7] },
    });
    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('complete');
    expect(body.stages[0].steps[0]).toMatchObject({ status: 'complete', attempt: 2, exitCode: 0 });
  });

  it('ends a step that runs past its timeout with status error', async () => {
    const body = await submitAndWait(t.app, await oneStepJob({ executable: 'sleep 30', timeoutSeconds: 1 }));
    expect(body.status).toBe('error');
    expect(body.lastMessage).toContain('timed out after 1 s');
  });

  it('passes a parameter whose value is "; rm -rf /" to the program as one literal argument', async () => {
    const job = await oneStepJob({
      executable: `sh -c 'printf "%s|" "$#" "$@"' sh $P1`,
      stdoutEnding: 'out',
      outputs: ['.out'],
      parameters: [{ alias: 'text', switchless: true, required: true }],
    });
    const body = await submitAndWait(t.app, job, { [`${job}-task_text`]: '; rm -rf /' });
    expect(body.status).toBe('complete');
    const out = body.files.find((f: { name: string }) => f.name.endsWith('.out'));
    expect(await fileText(t.app, out.url)).toBe('1|; rm -rf /|');
  });

  it('gives the task its environment on top of the worker environment', async () => {
    const job = await oneStepJob({
      executable: `sh -c 'printf "%s %s" "$GREETING" "\${PATH:+has-path}"'`,
      environment: { GREETING: 'bonjour' },
      stdoutEnding: 'out',
      outputs: ['.out'],
    });
    const body = await submitAndWait(t.app, job);
    const out = body.files.find((f: { name: string }) => f.name.endsWith('.out'));
    expect(await fileText(t.app, out.url)).toBe('bonjour has-path');
  });
});
