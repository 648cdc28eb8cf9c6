import type { Db } from '../db/create-db.ts';
import { defaultTaskQueue } from '../temporal/task-queues.ts';

/** The default `local` backend, so a fresh install can run tasks at once. */
export async function ensureBackend(db: Db, name: string): Promise<void> {
  await db
    .insertInto('backends')
    .values({
      name,
      task_queue: defaultTaskQueue(name),
      root_path: null,
      description: 'Runs tasks on the machine of its worker',
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
