// Records real submissionWorkflow histories as replay fixtures (test/fixtures/histories/README.md):
// a throw-away database on DATABASE_URL's server, a Temporal dev server of its own, in-process
// workers, and the jobs below submitted through the real API. Rerun it before a change to the
// workflow to keep the histories of the code that is about to be replaced:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node scripts/record-histories.ts <suffix>
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { freePort } from '../src/dev/free-port.ts';
import { startTemporalDevServer } from '../src/dev/temporal-dev-server.ts';
import { PROJECT_ROOT } from '../src/project-paths.ts';
import { workflowIdFor } from '../src/temporal/task-queues.ts';
import { tokenHeader } from '../test/helpers/control-tokens.ts';
import { isAlive, processesInDir, waitUntil } from '../test/helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../test/helpers/seed-config.ts';
import { postMultipart, waitForEnd } from '../test/helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../test/helpers/test-app.ts';
import { startTestWorkers, testTemporalClient } from '../test/helpers/test-stack.ts';

const outDir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'histories');
const backend = 'record';

interface Recording {
  file: string;
  job: { task: string; ordering: number; executable: string; customExitCodes?: number[] }[];
  fields?: Record<string, string>;
  cancelWhileRunning?: boolean;
  expected: string;
}

const recordings: Recording[] = [
  {
    file: 'parallel-stage',
    job: [
      { task: 'first', ordering: 0, executable: 'true' },
      { task: 'left', ordering: 1, executable: 'sleep 1' },
      { task: 'right', ordering: 1, executable: 'sleep 1' },
    ],
    expected: 'complete',
  },
  {
    file: 'parallel-stage-mailed',
    job: [
      { task: 'first', ordering: 0, executable: 'true' },
      { task: 'left', ordering: 1, executable: 'true' },
      { task: 'right', ordering: 1, executable: 'true' },
    ],
    fields: { email: 'someone@example.org' },
    expected: 'complete',
  },
  {
    file: 'step-failed',
    job: [
      { task: 'fails', ordering: 0, executable: `sh -c 'exit 3'` },
      { task: 'never', ordering: 1, executable: 'true' },
    ],
    expected: 'error',
  },
  {
    file: 'cancelled-during-step',
    job: [
      { task: 'first', ordering: 0, executable: 'true' },
      { task: 'sleeps', ordering: 1, executable: 'sleep 600' },
    ],
    cancelWhileRunning: true,
    expected: 'cancelled',
  },
  {
    file: 'terminated-early',
    job: [
      { task: 'ends', ordering: 0, executable: `sh -c 'exit 42'`, customExitCodes: [42] },
      { task: 'never', ordering: 1, executable: 'true' },
    ],
    expected: 'complete',
  },
];

async function record(t: TestApp, r: Recording, suffix: string): Promise<void> {
  const job = `${r.file}-${randomBytes(3).toString('hex')}`;
  for (const step of r.job) {
    await seedTask(t.db, {
      name: `${job}-${step.task}`,
      backend,
      executable: step.executable,
      customExitCodes: step.customExitCodes,
      customExitBehaviour: step.customExitCodes ? 'terminate' : 'fail',
    });
  }
  await seedJob(
    t.db,
    job,
    r.job.map((s) => ({ task: `${job}-${s.task}`, ordering: s.ordering })),
  );
  const res = await postMultipart(t.app, job, r.fields ?? {});
  const { id } = await readJson(res);
  if (r.cancelWhileRunning) {
    if (!(await waitUntil(() => processesInDir(id).length > 0, 30_000))) throw new Error(`${r.file}: never ran`);
    const pids = processesInDir(id);
    await t.app.request(`/api/v1/submissions/${id}/cancel`, { method: 'POST', headers: tokenHeader(id) });
    await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000);
  }
  const ended = await waitForEnd(t.app, id);
  if (ended.status !== r.expected) throw new Error(`${r.file}: ended ${ended.status}, expected ${r.expected}`);
  const client = await testTemporalClient(t.config);
  const handle = client.workflow.getHandle(workflowIdFor(id));
  // The run has closed its workflow task only once its result is in.
  await handle.result().catch(() => {});
  const history = await handle.fetchHistory();
  await client.connection.close();
  await writeFile(path.join(outDir, `${r.file}-${suffix}.json`), JSON.stringify(history));
  console.log(`${r.file}-${suffix}.json: ${ended.status} (${ended.lastMessage})`);
}

async function main(suffix: string): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL (a PostgreSQL server to create a throw-away database on) is required');
  const dbName = `aa_record_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const temporal = await startTemporalDevServer({ port: await freePort(), uiPort: null, dbFile: null });
  try {
    const migrating = createDb({ url: url.toString(), poolSize: 1 });
    await migrateToLatest(migrating);
    await migrating.destroy();
    process.env.DATABASE_URL = url.toString();
    process.env.TEMPORAL_ADDRESS = temporal.address;
    const t = await createTestApp();
    await seedBackend(t.db, backend, `backend.${backend}`);
    const workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
    try {
      for (const r of recordings) await record(t, r, suffix);
    } finally {
      await workers.stop();
      await t.close();
    }
  } finally {
    await temporal.stop();
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

const suffix = process.argv[2];
if (!suffix) {
  console.error('usage: node scripts/record-histories.ts <suffix, e.g. the short commit id>');
  process.exit(2);
}
main(suffix).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
