import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { runCli } from '../helpers/run-cli.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { spawnApi, stackEnv, type SpawnedProcess } from '../helpers/spawned-stack.ts';
import { startTestWorkers, testConfig, testDb, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const config = testConfig();
const backend = uniqueName('cli');
const okJob = uniqueName('upper');
const failingJob = uniqueName('boom');
const slowJob = uniqueName('slow');
let db: Db;
let workers: RunningWorkers;
let api: SpawnedProcess & { url: string };
let dir: string;
let input: string;
let env: Record<string, string>;

beforeAll(async () => {
  db = testDb(config);
  await seedBackend(db, backend, `backend.${backend}`);
  await seedTask(db, {
    name: `${okJob}-upper`,
    backend,
    executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.up'],
  });
  await seedTask(db, {
    name: `${okJob}-note`,
    backend,
    executable: `sh -c 'cat "$1"; echo "$2"' sh $I1 $P1`,
    inputs: ['.up'],
    stdoutEnding: '.out',
    parameters: [{ alias: 'note', switchless: true, required: true }],
  });
  await seedJob(db, okJob, [
    { task: `${okJob}-upper`, ordering: 0 },
    { task: `${okJob}-note`, ordering: 1 },
  ]);
  await seedTask(db, { name: `${failingJob}-task`, backend, executable: `sh -c 'echo boom >&2; exit 3'` });
  await seedJob(db, failingJob, [{ task: `${failingJob}-task`, ordering: 0 }]);
  await seedTask(db, { name: `${slowJob}-task`, backend, executable: 'sleep 60' });
  await seedJob(db, slowJob, [{ task: `${slowJob}-task`, ordering: 0 }]);
  workers = await startTestWorkers(config, db, [`backend.${backend}`]);
  api = await spawnApi(stackEnv());
  dir = await mkdtemp(path.join(tmpdir(), 'aa-cli-'));
  input = path.join(dir, 'input.txt');
  await writeFile(input, 'hello cli\n');
  env = { AA_URL: api.url, AA_API_KEY: '' };
});

afterAll(async () => {
  await api.stop();
  await workers.stop();
  await rm(dir, { recursive: true, force: true });
  await db.destroy();
});

const noteParam = () => `${okJob}-note_note=signed off`;

describe('aa submit, status, watch and results (real processes)', () => {
  it('submits with --wait, tells each step as it moves, and exits 0 when the submission completes', async () => {
    const res = await runCli(['submit', okJob, '--file', input, '--param', noteParam(), '--wait'], env);
    // Nothing but the anonymous submission's control token, which the API shows only once.
    expect(res.stderr).toMatch(/^submitted [0-9a-f-]{36}; cancel it with: aa cancel [0-9a-f-]{36} --token \S+\n$/);
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^submission [0-9a-f-]{36} \\(job ${okJob}, "input.txt"\\): (submitted|running)$`),
    );
    expect(lines).toContain(`step 1/2: ${okJob}-upper on backend ${backend}: complete`);
    expect(lines).toContain(`step 2/2: ${okJob}-note on backend ${backend}: complete`);
    expect(lines.at(-1)).toMatch(/^submission complete: .*aa results [0-9a-f-]{36} -o DIR\)$/);
  }, 60_000);

  it('prints the id without --wait, then watch follows it to the end, status shows it and results downloads verified files', async () => {
    const submitted = await runCli(['submit', okJob, '--file', input, '--name', 'second', '--param', noteParam()], env);
    expect(submitted.code).toBe(0);
    const id = submitted.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(submitted.stderr).toContain(`aa watch ${id}`);

    const watched = await runCli(['watch', id], env);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain(`step 2/2: ${okJob}-note on backend ${backend}: complete`);

    const status = await runCli(['status', id], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`second · job ${okJob} · ✔ complete`);
    expect(status.stdout).toMatch(/result +[0-9a-f-]+\.up/);
    expect(status.stdout).toContain(`picture: ${api.url}/api/v1/submissions/${id}/graph.svg`);
    const json = JSON.parse((await runCli(['status', id, '--json'], env)).stdout);
    expect(json).toMatchObject({ id, status: 'complete', job: okJob, name: 'second' });

    const out = path.join(dir, `results-${id}`);
    const results = await runCli(['results', id, '-o', out], env);
    expect(results.code).toBe(0);
    expect(results.stdout).toContain(`${id}.up  10 B  sha256 ok`);
    expect(await readFile(path.join(out, `${id}.up`), 'utf8')).toBe('HELLO CLI\n');
    expect(await readFile(path.join(out, `${id}.out`), 'utf8')).toBe('HELLO CLI\nsigned off\n');
    expect((await readdir(out)).some((f) => f.endsWith('.part') || f === 'input.txt')).toBe(false);
  }, 60_000);

  it('prints the finished submission as JSON with --wait --json', async () => {
    const res = await runCli(['submit', okJob, '--file', input, '--param', noteParam(), '--wait', '--json'], env);
    expect(res.code).toBe(0);
    const body = JSON.parse(res.stdout);
    expect(body.status).toBe('complete');
    expect(body.stages.map((s: { status: string }) => s.status)).toEqual(['complete', 'complete']);
  }, 60_000);

  it('exits 1 and names the failing step when the submission ends in error', async () => {
    const res = await runCli(['submit', failingJob, '--file', input, '--wait'], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(new RegExp(`step 1/1: ${failingJob}-task on backend ${backend}: error \\(.*exit 3`));
    expect(res.stdout.trim().split('\n').at(-1)).toMatch(/^submission error: /);
  }, 60_000);

  it("exits 2 with the API's reason for a parameter the job does not have, and for a missing required one", async () => {
    const unknown = await runCli(
      ['submit', okJob, '--file', input, '--param', noteParam(), '--param', 'nosuch_x=1'],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('HTTP 422');
    expect(unknown.stderr).toContain('nosuch_x');
    const missing = await runCli(['submit', okJob, '--file', input], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${okJob}-note_note`);
  });

  it('exits 2 with usage for a malformed --param, a missing --file or a missing id, before calling the API', async () => {
    const malformed = await runCli(['submit', okJob, '--file', input, '--param', 'oops'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--param "oops" is not key=value');
    expect(malformed.stderr).toContain('Usage: aa submit');
    expect((await runCli(['submit', okJob], env)).code).toBe(2);
    expect((await runCli(['submit', okJob, '--file', path.join(dir, 'absent.txt')], env)).code).toBe(2);
    expect((await runCli(['status'], env)).code).toBe(2);
    expect((await runCli(['results', randomUUID()], env)).code).toBe(2);
    expect((await runCli(['watch', '--bogus', randomUUID()], env)).code).toBe(2);
  });

  it('exits 1 when the API cannot be reached or the job does not exist', async () => {
    const down = await runCli(['status', randomUUID()], { AA_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach');
    const unknown = await runCli(['submit', uniqueName('nojob'), '--file', input], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HTTP 404');
  });
});

describe('aa results, cancel, watch of a cancelled submission, and jobs', () => {
  it('exits 1 and keeps no file whose sha256 does not match what the API recorded', async () => {
    const id = (await runCli(['submit', okJob, '--file', input, '--param', noteParam(), '--wait', '--json'], env))
      .stdout;
    const view = JSON.parse(id);
    await db
      .updateTable('stored_files')
      .set({ sha256: '0'.repeat(64) })
      .where('submission_id', '=', view.id)
      .where('name', '=', `${view.id}.up`)
      .execute();
    const out = path.join(dir, `tampered-${view.id}`);
    const res = await runCli(['results', view.id, '-o', out], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`does not match ${'0'.repeat(64)}; not kept`);
    const saved = await readdir(out);
    expect(saved).toContain(`${view.id}.out`);
    expect(saved).toContain(`step2-${view.id}.stderr`);
    expect(saved.filter((f) => f.endsWith('.up') || f.endsWith('.part'))).toEqual([]);
  }, 60_000);

  it('exits 1 with the 404 when asked to cancel a submission that does not exist', async () => {
    const res = await runCli(['cancel', randomUUID()], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('HTTP 404');
  });

  it('cancels a running submission with aa cancel (exit 0), after which watch exits 3', async () => {
    const { id, controlToken } = JSON.parse((await runCli(['submit', slowJob, '--file', input, '--json'], env)).stdout);
    const started = Date.now();
    while (
      (await db.selectFrom('step_runs').select('status').where('submission_id', '=', id).executeTakeFirst())?.status !==
      'running'
    ) {
      if (Date.now() - started > 20_000) throw new Error('the slow step did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const watching = runCli(['watch', id], env);
    const cancel = await runCli(['cancel', id, '--token', controlToken], env);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain(`Cancel requested for ${id}`);
    const res = await watching;
    expect(res.code).toBe(3);
    expect(res.stdout).toContain(`step 1/1: ${slowJob}-task on backend ${backend}: cancelled`);
    expect(res.stdout.trim().split('\n').at(-1)).toMatch(/^submission cancelled/);
  }, 60_000);

  it('exits 1 with the 409 when asked to cancel a submission that has already ended', async () => {
    const done = JSON.parse((await runCli(['submit', failingJob, '--file', input, '--wait', '--json'], env)).stdout);
    const res = await runCli(['cancel', done.id, '--token', done.controlToken], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('HTTP 409');
    expect(res.stderr).toContain('already ended');
  }, 60_000);

  it('lists names from the public listing without a key, and stages with an admin key', async () => {
    const anonymous = await runCli(['jobs'], env);
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout.split('\n')).toContain(okJob);
    expect(anonymous.stderr).toContain('names only');

    const admin = { ...env, AA_API_KEY: await createTestKey(db, 'admin') };
    const full = await runCli(['jobs'], admin);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain(`${okJob}: ${okJob}-upper -> ${okJob}-note`);
    const json = JSON.parse((await runCli(['jobs', '--json'], admin)).stdout);
    expect(json.find((j: { name: string }) => j.name === okJob).steps).toHaveLength(2);

    const submitter = await runCli(['jobs', '--json'], { ...env, AA_API_KEY: await createTestKey(db, 'submitter') });
    expect(submitter.code).toBe(0);
    expect(JSON.parse(submitter.stdout)).toContainEqual({ name: okJob });
  });

  it('exits 1 for a key the API does not know', async () => {
    const res = await runCli(['jobs'], { ...env, AA_API_KEY: 'aa_wrong' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('HTTP 401');
  });
});
