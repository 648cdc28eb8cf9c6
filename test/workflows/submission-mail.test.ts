import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { submitAndWait } from '../helpers/submission-client.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, testTemporalClient, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let client: Client;
let workers: RunningWorkers;
const backend = uniqueName('mailact');
const job = uniqueName('mailact-job');

/** The activity and child workflow types a workflow scheduled, from its Temporal history. */
async function scheduled(workflowId: string): Promise<string[]> {
  const handle = client.workflow.getHandle(workflowId);
  await handle.result();
  const { events } = await handle.fetchHistory();
  return (events ?? []).flatMap((e) => [
    ...(e.activityTaskScheduledEventAttributes
      ? [e.activityTaskScheduledEventAttributes.activityType?.name ?? '']
      : []),
    ...(e.startChildWorkflowExecutionInitiatedEventAttributes
      ? [`child ${e.startChildWorkflowExecutionInitiatedEventAttributes.workflowType?.name ?? ''}`]
      : []),
  ]);
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  client = await testTemporalClient(t.config);
  await seedBackend(db, backend, `backend.${backend}`);
  await seedTask(db, { name: `${job}-task`, backend, executable: 'true' });
  await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await client.connection.close();
  await t.close();
});

describe('the mail of a submission', () => {
  it('is sent by a workflow of its own, which the run starts and does not wait for, when an address was given', async () => {
    const body = await submitAndWait(t.app, job, { email: 'someone@example.org' });

    expect(body.status).toBe('complete');
    expect(await scheduled(workflowIdFor(body.id))).toEqual(['runStep', 'child submissionMailWorkflow']);
    expect(await scheduled(`${workflowIdFor(body.id)}-mail`)).toEqual(['notifySubmissionEnded']);
  });

  it('is skipped when the submission gave no e-mail address', async () => {
    const body = await submitAndWait(t.app, job);

    expect(body.status).toBe('complete');
    expect(await scheduled(workflowIdFor(body.id))).toEqual(['runStep']);
  });
});
