import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import type { ExecutionPlan, PlannedStep } from '../../src/domain/execution-plan.ts';
import { readFileChunks } from '../../src/files/file-store.ts';
import { CLI_ENTRY, PROJECT_ROOT } from '../../src/project-paths.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { submissionWorkflow } from '../../workflows/submission-workflow.ts';
import {
  startTestWorkers,
  testConfig,
  testDb,
  testTemporalClient,
  uniqueName,
  type RunningWorkers,
} from '../helpers/test-stack.ts';

// docs/deployment.md tells operators to start a worker on another host with exactly this.
const REMOTE_WORKER_ARGS = ['worker', '--backend'];

const config = testConfig();
let db: Db;
let client: Client;
let orchestrator: RunningWorkers;
let cwd: string;

interface RunningChild {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `node src/cli/main.ts …` as its own process, with exactly the environment given: nothing inherited. */
function startCli(args: string[], env: Record<string, string>): RunningChild {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(running: RunningChild, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`worker exited early:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function onlyStep(backend: string, taskQueue: string, argv: string[]): PlannedStep {
  return {
    index: 0,
    stage: 0,
    taskName: 'whoami',
    backend,
    taskQueue,
    argv,
    environment: {},
    inputEndings: [],
    outputEndings: ['.txt'],
    stdoutName: 'out.stdout',
    customExitCodes: [],
    customExitBehaviour: 'fail',
    incompleteOutputs: 'fail',
    retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
    timeoutSeconds: 60,
    rootPath: null,
  };
}

async function readStoredText(fileId: string): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of readFileChunks(db, fileId)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

beforeAll(async () => {
  db = testDb(config);
  client = await testTemporalClient(config);
  // The orchestrator runs in-process with no backend queues, so only the child can run the step.
  orchestrator = await startTestWorkers(config, db, []);
  cwd = await mkdtemp(path.join(tmpdir(), 'aa-remote-worker-'));
});

afterAll(async () => {
  await orchestrator.stop();
  await client.connection.close();
  await db.destroy();
  await rm(cwd, { recursive: true, force: true });
});

describe('a backend worker on another host', () => {
  it('joins with only DATABASE_URL and TEMPORAL_ADDRESS and runs a step of a submission', async () => {
    const backend = uniqueName('remote');
    const taskQueue = uniqueName('backend.remote');
    await db.insertInto('backends').values({ name: backend, task_queue: taskQueue }).execute();
    const worker = startCli([...REMOTE_WORKER_ARGS, backend], {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: config.database.url!,
      TEMPORAL_ADDRESS: config.temporal.address!,
    });
    try {
      await waitForOutput(worker, taskQueue);

      const submissionId = randomUUID();
      await db
        .insertInto('submissions')
        .values({ id: submissionId, job_name: 'probe', name: 'probe', client_identity: 'test' })
        .execute();
      const plan: ExecutionPlan = {
        submissionId,
        jobName: 'probe',
        // $PPID of the step's shell is the pid of the worker process that ran it.
        stages: [[onlyStep(backend, taskQueue, ['sh', '-c', 'echo "$PPID" > worker-pid.txt'])]],
        heartbeatTimeoutSeconds: 10,
        scheduleToStartTimeoutSeconds: 60,
      };
      const result = await client.workflow.execute(submissionWorkflow, {
        taskQueue: orchestrator.orchestratorQueue,
        workflowId: workflowIdFor(submissionId),
        args: [{ submissionId, plan }],
      });

      expect(result.status).toBe('complete');
      const stepRun = await db
        .selectFrom('step_runs')
        .selectAll()
        .where('submission_id', '=', submissionId)
        .executeTakeFirstOrThrow();
      expect(stepRun).toMatchObject({ status: 'complete', exit_code: 0, backend, host: hostname() });
      const files = await db
        .selectFrom('stored_files')
        .select(['id', 'name'])
        .where('submission_id', '=', submissionId)
        .where('kind', '=', 'result')
        .execute();
      expect(files.map((f) => f.name)).toEqual(['worker-pid.txt']);
      expect(await readStoredText(files[0]!.id)).toBe(`${worker.child.pid}\n`);
    } finally {
      worker.child.kill('SIGTERM');
    }
    // SIGTERM is a graceful shutdown, as `docker stop` sends it.
    expect(await worker.exited).toBe(0);
  });

  it('exits at once with a one-line message when DATABASE_URL is missing', async () => {
    const worker = startCli([...REMOTE_WORKER_ARGS, 'anything'], {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: config.temporal.address!,
    });

    expect(await worker.exited).toBe(1);
    expect(worker.output().trim()).toBe('DATABASE_URL is not set');
  });

  it('is started in docs/deployment.md with the command this test runs', async () => {
    const docs = await readFile(path.join(PROJECT_ROOT, 'docs', 'deployment.md'), 'utf8');

    expect(docs).toContain(`node src/cli/main.ts ${REMOTE_WORKER_ARGS.join(' ')} `);
    expect(docs).toMatch(
      /env -i PATH="\$PATH" DATABASE_URL=\S+ TEMPORAL_ADDRESS=\S+ \\\n\s+node src\/cli\/main\.ts worker --backend/,
    );
  });
});
