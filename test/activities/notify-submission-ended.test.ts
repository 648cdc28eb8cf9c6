import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createNotifyActivities } from '../../activities/notify-submission-ended.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/create-db.ts';
import type { ExecutionPlan, PlannedStep } from '../../src/domain/execution-plan.ts';
import { createMailer } from '../../src/mail/create-mailer.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { submissionWorkflow } from '../../workflows/submission-workflow.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../helpers/smtp-test-server.ts';
import {
  startTestWorkers,
  testConfig,
  testDb,
  testTemporalClient,
  uniqueName,
  type RunningWorkers,
} from '../helpers/test-stack.ts';

const PUBLIC_URL = 'https://aa.example.org';
const backendQueue = uniqueName('backend.mail');
let smtp: SmtpTestServer;
let config: Config;
let db: Db;
let client: Client;
let workers: RunningWorkers;
const markers: string[] = [];

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
    outputEndings: [],
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

interface SubmissionRow {
  email?: string | null;
  batchId?: string;
  status?: 'submitted' | 'running' | 'complete';
}

async function insertSubmission({ email = 'user@example.org', batchId, status }: SubmissionRow = {}) {
  const id = randomUUID();
  await db
    .insertInto('submissions')
    .values({
      id,
      job_name: 'psipred',
      name: 'my run',
      email,
      client_identity: 'test',
      batch_id: batchId ?? null,
      ...(status ? { status } : {}),
    })
    .execute();
  return id;
}

async function run(submissionId: string, steps: PlannedStep[]) {
  const plan: ExecutionPlan = {
    submissionId,
    jobName: 'psipred',
    stages: [steps],
    heartbeatTimeoutSeconds: 10,
    scheduleToStartTimeoutSeconds: 60,
  };
  const result = await client.workflow.execute(submissionWorkflow, {
    taskQueue: workers.orchestratorQueue,
    workflowId: workflowIdFor(submissionId),
    args: [{ submissionId, plan }],
  });
  // The mail goes out from a workflow of its own, which the run starts and does not wait for.
  await client.workflow.getHandle(`${workflowIdFor(submissionId)}-mail`).result();
  return result;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const mailsTo = (id: string) => smtp.received.filter((m) => m.subject.endsWith(id));

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  config = testConfig({ SMTP_URL: smtp.url, PUBLIC_URL, MAIL_FROM: 'aa <aa@example.org>' });
  db = testDb(config);
  client = await testTemporalClient(config);
  workers = await startTestWorkers(config, db, [backendQueue]);
});

afterEach(() => smtp.refuseNext(0, 451));

afterAll(async () => {
  await workers.stop();
  await client.connection.close();
  await db.destroy();
  await smtp.close();
  await Promise.all(markers.map((m) => rm(m, { force: true })));
});

describe('e-mail when a submission ends', () => {
  it("sends one mail with A_A's subject and the results link when a submission completes", async () => {
    const id = await insertSubmission();
    const result = await run(id, [step(['true'])]);

    expect(result.status).toBe('complete');
    expect(mailsTo(id)).toEqual([
      {
        from: 'aa@example.org',
        to: ['user@example.org'],
        subject: `psipred : A_A Job Completion: ${id}`,
        text: `Your analysis is complete.\nYou can retrieve the results from ${PUBLIC_URL}/api/v1/submissions/${id}`,
      },
    ]);
    const row = await db
      .selectFrom('submissions')
      .select('email_sent_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.email_sent_at).toBeInstanceOf(Date);
  });

  it('sends exactly one mail when a step failed once and succeeded on its retry', async () => {
    const marker = path.join(tmpdir(), `aa-mail-retry-${randomUUID()}`);
    markers.push(marker);
    const id = await insertSubmission();
    const flaky = step(['sh', '-c', `test -f ${marker} || { touch ${marker}; exit 7; }`], {
      retry: { maximumAttempts: 3, initialIntervalSeconds: 1, backoffCoefficient: 1, retryableExitCodes: [7] },
    });
    const result = await run(id, [flaky]);

    expect(result.status).toBe('complete');
    const stepRun = await db
      .selectFrom('step_runs')
      .select(['attempt', 'status'])
      .where('submission_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stepRun).toEqual({ attempt: 2, status: 'complete' });
    expect(mailsTo(id)).toHaveLength(1);
  });

  it("sends A_A's failure text with the error message when a step fails", async () => {
    const id = await insertSubmission();
    const result = await run(id, [step(['sh', '-c', 'exit 3'])]);

    expect(result.status).toBe('error');
    const [mail, ...more] = mailsTo(id);
    expect(more).toEqual([]);
    expect(mail?.text).toBe(
      `Job ${id} has failed\n\nPlease contact the server administrator with the job ID and the following error message\n\n${result.message}`,
    );
  });

  it('delivers the mail once, and keeps the status, when the mail server refuses the first attempt', async () => {
    const id = await insertSubmission();
    smtp.refuseNext(1, 451);
    const refusalsBefore = smtp.refusals;
    const result = await run(id, [step(['true'])]);

    expect(smtp.refusals - refusalsBefore).toBe(1);
    expect(result.status).toBe('complete');
    expect(mailsTo(id)).toHaveLength(1);
    const row = await db
      .selectFrom('submissions')
      .select(['status', 'email_sent_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('complete');
    expect(row.email_sent_at).toBeInstanceOf(Date);
  });

  it('still ends the workflow with the submission status when the server refuses the mail for good', async () => {
    const id = await insertSubmission();
    smtp.refuseNext(1, 550);
    const result = await run(id, [step(['true'])]);

    expect(result.status).toBe('complete');
    expect(mailsTo(id)).toEqual([]);
    const row = await db
      .selectFrom('submissions')
      .select(['status', 'email_sent_at', 'email_claimed_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'complete', email_sent_at: null, email_claimed_by: null });
  });

  it('closes the submission run while a mail server that stays down is still being retried', async () => {
    const id = await insertSubmission();
    smtp.refuseNext(1000, 451);
    const result = await client.workflow.execute(submissionWorkflow, {
      taskQueue: workers.orchestratorQueue,
      workflowId: workflowIdFor(id),
      args: [
        {
          submissionId: id,
          plan: {
            submissionId: id,
            jobName: 'psipred',
            stages: [[step(['true'])]],
            heartbeatTimeoutSeconds: 10,
            scheduleToStartTimeoutSeconds: 60,
          },
        },
      ],
    });

    expect(result.status).toBe('complete');
    const mail = client.workflow.getHandle(`${workflowIdFor(id)}-mail`);
    expect((await mail.describe()).status.name).toBe('RUNNING');
    expect(mailsTo(id)).toEqual([]);
    // A permanent refusal ends the retries (no attempt is left to deliver into the next test).
    smtp.refuseNext(1000, 550);
    await mail.result();
    expect(mailsTo(id)).toEqual([]);
  });

  it('sends nothing when the submission has no e-mail address', async () => {
    const id = await insertSubmission({ email: null });
    const received = smtp.received.length;
    const result = await run(id, [step(['true'])]);

    expect(result.status).toBe('complete');
    expect(smtp.received.length).toBe(received);
  });
});

describe('e-mail when a facade batch ends', () => {
  it('sends one mail for the batch, only once its last submission has ended', async () => {
    const batchId = randomUUID();
    await db.insertInto('batches').values({ id: batchId }).execute();
    const first = await insertSubmission({ batchId });
    const second = await insertSubmission({ batchId, status: 'running' });

    await run(first, [step(['true'])]);
    expect(mailsTo(batchId)).toEqual([]);

    await run(second, [step(['sh', '-c', 'exit 4'])]);
    const mails = mailsTo(batchId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`psipred : A_A Job Completion: ${batchId}`);
    expect(mails[0]?.text).toContain(`Job ${batchId} has failed`);
    expect(mails[0]?.text).toContain('exited with code 4');
    expect(mailsTo(first)).toEqual([]);
    expect(mailsTo(second)).toEqual([]);
    const batch = await db
      .selectFrom('batches')
      .select('email_sent_at')
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow();
    expect(batch.email_sent_at).toBeInstanceOf(Date);
  });

  it('sends one mail when the submissions of a batch end at the same time', async () => {
    const batchId = randomUUID();
    await db.insertInto('batches').values({ id: batchId }).execute();
    const ids = await Promise.all([1, 2, 3].map(() => insertSubmission({ batchId })));

    await Promise.all(ids.map((id) => run(id, [step(['true'])])));
    const mails = mailsTo(batchId);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toBe(
      `Your analysis is complete.\nYou can retrieve the results from ${PUBLIC_URL}/analytics_automated/submission/${batchId}`,
    );
  });
});

describe('the notify activity when Temporal runs it more than once', () => {
  const notifyAs = (workflowId: string, submissionId: string) => {
    const { notifySubmissionEnded } = createNotifyActivities({ db, config, mailer: createMailer(config.mail) });
    const info = { workflowExecution: { workflowId, runId: randomUUID() }, activityId: '9' };
    const env = new MockActivityEnvironment(info, { logger: quietLogger });
    return env.run(notifySubmissionEnded, { submissionId });
  };

  it('does not send again when an attempt runs after the mail went out', async () => {
    const id = await insertSubmission({ status: 'complete' });
    await notifyAs(workflowIdFor(id), id);
    await notifyAs(workflowIdFor(id), id);

    expect(mailsTo(id)).toHaveLength(1);
  });

  it('sends on the retry of an attempt that died after claiming, but not for a claim another activity holds', async () => {
    const mine = await insertSubmission({ status: 'complete' });
    const theirs = await insertSubmission({ status: 'complete' });
    await db
      .updateTable('submissions')
      .set({ email_claimed_by: `${workflowIdFor(mine)}/9` })
      .where('id', '=', mine)
      .execute();
    await db
      .updateTable('submissions')
      .set({ email_claimed_by: 'submission-other/9' })
      .where('id', '=', theirs)
      .execute();
    await notifyAs(workflowIdFor(mine), mine);
    await notifyAs(workflowIdFor(theirs), theirs);

    expect(mailsTo(mine)).toHaveLength(1);
    expect(mailsTo(theirs)).toEqual([]);
  });

  it('sends one batch mail when every member of an ended batch notifies at once', async () => {
    const batchId = randomUUID();
    await db.insertInto('batches').values({ id: batchId }).execute();
    const ids = await Promise.all([1, 2, 3, 4].map(() => insertSubmission({ batchId, status: 'complete' })));
    await Promise.all(ids.map((id) => notifyAs(workflowIdFor(id), id)));

    expect(mailsTo(batchId)).toHaveLength(1);
  });

  it('releases its claim and throws for Temporal to retry when the mail server is unavailable', async () => {
    const id = await insertSubmission({ status: 'complete' });
    smtp.refuseNext(1, 421);

    await expect(notifyAs(workflowIdFor(id), id)).rejects.toMatchObject({ responseCode: 421 });
    const row = await db
      .selectFrom('submissions')
      .select(['email_sent_at', 'email_claimed_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ email_sent_at: null, email_claimed_by: null });
  });
});
