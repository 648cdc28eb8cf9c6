import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/create-db.ts';
import { endSubmission } from '../../src/submissions/submission-transitions.ts';
import { testDb } from '../helpers/test-stack.ts';

let db: Db;

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db.destroy();
});

async function runningSubmissionWithStep(): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('submissions')
    .values({ id, job_name: 'end-test', name: 'e', client_identity: 'test', status: 'running' })
    .execute();
  await db
    .insertInto('step_runs')
    .values({ submission_id: id, step_index: 0, stage: 0, task_name: 't', backend: 'b', status: 'running' })
    .execute();
  return id;
}

const stepStatus = async (id: string) =>
  (await db.selectFrom('step_runs').select('status').where('submission_id', '=', id).executeTakeFirstOrThrow()).status;

describe('endSubmission', () => {
  it('leaves no step running in a submission it ends as cancelled', async () => {
    const id = await runningSubmissionWithStep();
    expect(await endSubmission(db, id, 'cancelled', 'Cancelled during step 1 (t)')).toBe(true);
    expect(await stepStatus(id)).toBe('cancelled');
  });

  it('keeps a terminal status final, and then touches no step', async () => {
    const id = await runningSubmissionWithStep();
    expect(await endSubmission(db, id, 'complete', 'Completed job')).toBe(true);
    expect(await endSubmission(db, id, 'cancelled', 'Cancelled')).toBe(false);
    expect(await stepStatus(id)).toBe('running');
  });
});
