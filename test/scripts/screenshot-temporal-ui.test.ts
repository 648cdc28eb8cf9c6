import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/dev/free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from '../../src/dev/temporal-dev-server.ts';
import { PROJECT_ROOT } from '../../src/project-paths.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { submitAndWait } from '../helpers/submission-client.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'screenshot-temporal-ui.ts');
// A fixed name: each run's own Temporal server and database start empty, and CI keeps one picture.
const JOB = 'wordcount';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function screenshot(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], { cwd: PROJECT_ROOT, timeout: 150_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The run's shared Temporal server is headless, so this file starts its own with the Web UI.
describe('scripts/screenshot-temporal-ui.ts', () => {
  let temporal: RunningTemporal;
  let t: TestApp;
  let workers: RunningWorkers;
  let ids: string[];

  beforeAll(async () => {
    temporal = await startTemporalDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: null });
    t = await createTestApp({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_UI_URL: temporal.uiUrl! });
    const backend = uniqueName('ui');
    await seedBackend(t.db, backend, `backend.${backend}`);
    await seedTask(t.db, { name: `${JOB}-count`, backend, executable: 'wc -c $I1', inputs: ['.txt'] });
    await seedTask(t.db, { name: `${JOB}-fail`, backend, executable: 'false' });
    await seedJob(t.db, JOB, [{ task: `${JOB}-count`, ordering: 0 }]);
    await seedJob(t.db, `${JOB}-other`, [{ task: `${JOB}-fail`, ordering: 0 }]);
    workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
    const done = [
      await submitAndWait(t.app, JOB, { submission_name: 'first' }),
      await submitAndWait(t.app, JOB, { submission_name: 'second' }),
    ];
    expect(done.map((d) => d.status)).toEqual(['complete', 'complete']);
    ids = done.map((d) => d.id);
    expect((await submitAndWait(t.app, `${JOB}-other`)).status).toBe('error');
  }, 120_000);

  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await temporal?.stop();
  });

  it("writes a PNG of the UI's workflow list filtered by job, listing that job's workflows and no other", async () => {
    const res = await screenshot(['--ui', temporal.uiUrl!, '--job', JOB]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const png = path.join(PROJECT_ROOT, 'results', `temporal-ui-${JOB}.png`);
    expect(res.stdout.trim()).toBe(png);
    const bytes = await readFile(png);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1600, 900]);
    expect((await stat(png)).size).toBeGreaterThan(20_000);

    const text = await readFile(path.join(PROJECT_ROOT, 'results', `temporal-ui-${JOB}.txt`), 'utf8');
    for (const id of ids) expect(text).toContain(`submission-${id}`);
    expect(text).toContain(`AaJobName = "${JOB}"`);
    expect(text.match(/submission-[0-9a-f-]{36}/g)?.filter((m, i, all) => all.indexOf(m) === i)).toHaveLength(2);
  }, 180_000);

  it('exits 1 and writes nothing when no workflow of the job shows before the timeout', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'aa-shot-'));
    try {
      const res = await screenshot(['--ui', temporal.uiUrl!, '--job', 'no-such-job', '--out', out, '--timeout', '5']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('no workflow rows');
      await expect(stat(path.join(out, 'temporal-ui-no-such-job.png'))).rejects.toThrow();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
