import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/create-db.ts';
import { notifySubmissionChanged, SubmissionEvents } from '../../src/submissions/submission-events.ts';
import { testConfig, testDb } from '../helpers/test-stack.ts';

let db: Db;
let events: SubmissionEvents;

async function elapsed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

beforeAll(() => {
  db = testDb();
  events = new SubmissionEvents(testConfig().database.url!);
});

afterAll(async () => {
  await events.close();
  await db.destroy();
});

describe('submission events', () => {
  it('wakes a wait at once for a change that came between watching and waiting', async () => {
    const id = randomUUID();
    const watch = await events.watch(id);
    await notifySubmissionChanged(db, id);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // A missed notification would sleep until the 1 s fallback; the margin is for a busy machine.
    expect(await elapsed(() => watch.next(5000))).toBeLessThan(900);
    watch.close();
  });

  it('wakes a waiting watch when its submission changes, and not for another submission', async () => {
    const id = randomUUID();
    const watch = await events.watch(id);
    setTimeout(() => void notifySubmissionChanged(db, randomUUID()), 50);
    setTimeout(() => void notifySubmissionChanged(db, id), 300);

    const waited = await elapsed(() => watch.next(5000));

    expect(waited).toBeGreaterThan(250);
    expect(waited).toBeLessThan(900);
    watch.close();
  });

  it('returns after the timeout when nothing changes', async () => {
    const watch = await events.watch(randomUUID());

    const waited = await elapsed(() => watch.next(300));

    expect(waited).toBeGreaterThan(280);
    expect(waited).toBeLessThan(900);
    watch.close();
  });
});
