import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import type { ExecutionPlan } from '../../src/domain/execution-plan.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { installWorkerRuntime } from '../../workers/worker-runtime.ts';
import { submissionWorkflow } from '../../workflows/submission-workflow.ts';
import { capturedLogger } from '../helpers/captured-logs.ts';
import {
  startTestWorkers,
  testConfig,
  testDb,
  testTemporalClient,
  uniqueName,
  type RunningWorkers,
} from '../helpers/test-stack.ts';

const config = testConfig();
const backendQueue = uniqueName('backend.logs');
const { logger, lines } = capturedLogger('worker');
let db: Db;
let client: Client;
let workers: RunningWorkers;

beforeAll(async () => {
  // Installed before startTestWorkers, whose own install is then a no-op: the runtime is one per process.
  installWorkerRuntime(logger);
  db = testDb(config);
  client = await testTemporalClient(config);
  workers = await startTestWorkers(config, db, [backendQueue]);
});

afterAll(async () => {
  await workers.stop();
  await client.connection.close();
  await db.destroy();
});

describe('activity logs', () => {
  it('carry the submission id and the workflow id, and never the task token', async () => {
    const submissionId = randomUUID();
    await db
      .insertInto('submissions')
      .values({ id: submissionId, job_name: 'logs', name: 'logs', client_identity: 'test' })
      .execute();
    const plan: ExecutionPlan = {
      submissionId,
      jobName: 'logs',
      heartbeatTimeoutSeconds: 10,
      scheduleToStartTimeoutSeconds: 60,
      stages: [
        [
          {
            index: 0,
            stage: 0,
            taskName: 'echo',
            backend: 'test',
            taskQueue: backendQueue,
            argv: ['sh', '-c', 'exit 5'],
            environment: {},
            inputEndings: [],
            outputEndings: [],
            stdoutName: 'out.stdout',
            customExitCodes: [],
            customExitBehaviour: 'fail',
            incompleteOutputs: 'fail',
            retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
            timeoutSeconds: 60,
            rootPath: null,
          },
        ],
      ],
    };
    const workflowId = workflowIdFor(submissionId);
    await client.workflow.execute(submissionWorkflow, {
      taskQueue: workers.orchestratorQueue,
      workflowId,
      args: [{ submissionId, plan }],
    });

    const mine = lines.filter((l) => l.submissionId === submissionId);
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['step started', 'step ended']));
    const ended = mine.find((l) => l.msg === 'step ended');
    expect(ended).toMatchObject({
      workflowId,
      activityType: 'runStep',
      step: 1,
      task: 'echo',
      status: 'error',
      exitCode: 5,
      level: 30,
    });
    expect(lines.some((l) => 'taskToken' in l)).toBe(false);
  });
});
