import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import type { ExecutionPlan, PlannedStep } from '../../src/domain/execution-plan.ts';
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

const config = testConfig();
let db: Db;
let client: Client;
let workers: RunningWorkers;
const backendQueue = uniqueName('backend.test');

function step(argv: string[], overrides: Partial<PlannedStep> = {}): PlannedStep {
  return {
    index: 0,
    stage: 0,
    taskName: 'greet',
    backend: 'test',
    taskQueue: backendQueue,
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
    ...overrides,
  };
}

async function runSubmission(steps: PlannedStep[]) {
  const submissionId = randomUUID();
  await db
    .insertInto('submissions')
    .values({ id: submissionId, job_name: 'probe', name: 'probe', client_identity: 'test' })
    .execute();
  const plan: ExecutionPlan = {
    submissionId,
    jobName: 'probe',
    stages: [steps],
    heartbeatTimeoutSeconds: 10,
    scheduleToStartTimeoutSeconds: 60,
  };
  const result = await client.workflow.execute(submissionWorkflow, {
    taskQueue: workers.orchestratorQueue,
    workflowId: workflowIdFor(submissionId),
    args: [{ submissionId, plan }],
  });
  return { submissionId, result };
}

beforeAll(async () => {
  db = testDb(config);
  client = await testTemporalClient(config);
  workers = await startTestWorkers(config, db, [backendQueue]);
});

afterAll(async () => {
  await workers.stop();
  await client.connection.close();
  await db.destroy();
});

describe('submission workflow on the real Temporal server', () => {
  it('runs a step as a real process and writes its status and result into PostgreSQL', async () => {
    const { submissionId, result } = await runSubmission([step(['sh', '-c', 'echo hello > greeting.txt'])]);

    expect(result.status).toBe('complete');
    const submission = await db
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', submissionId)
      .executeTakeFirstOrThrow();
    expect(submission.status).toBe('complete');
    expect(submission.started_at).not.toBeNull();
    const stepRun = await db
      .selectFrom('step_runs')
      .selectAll()
      .where('submission_id', '=', submissionId)
      .executeTakeFirstOrThrow();
    expect(stepRun).toMatchObject({ status: 'complete', exit_code: 0, attempt: 1 });
    const files = await db
      .selectFrom('stored_files')
      .selectAll()
      .where('submission_id', '=', submissionId)
      .where('kind', '=', 'result')
      .execute();
    expect(files.map((f) => [f.name, f.size, f.sha256])).toEqual([
      ['greeting.txt', 6, createHash('sha256').update('hello\n').digest('hex')],
    ]);
  });

  it('records error with the exit code when the command fails', async () => {
    const { submissionId, result } = await runSubmission([step(['sh', '-c', 'exit 3'])]);

    expect(result).toMatchObject({ status: 'error' });
    expect(result.message).toContain('exited with code 3');
    const submission = await db
      .selectFrom('submissions')
      .selectAll()
      .where('id', '=', submissionId)
      .executeTakeFirstOrThrow();
    expect(submission.status).toBe('error');
    const messages = await db
      .selectFrom('submission_messages')
      .select('status')
      .where('submission_id', '=', submissionId)
      .orderBy('id')
      .execute();
    expect(messages.map((m) => m.status)).toEqual(['running', 'error']);
  });
});
