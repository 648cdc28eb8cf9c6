import { z } from '@hono/zod-openapi';
import type { Principal } from '../auth/principal.ts';
import { underPath } from '../catalog/rule-violation.ts';
import { DomainError } from '../domain/domain-error.ts';
import { ScheduleCreate } from './schedule-schemas.ts';
import {
  commandSchedule,
  createSchedule,
  listSchedules,
  updateSchedule,
  type ScheduleDeps,
} from './schedule-service.ts';

/** A schedule in the YAML configuration: its definition, state and owner (a user name). */
export const ScheduleEntry = ScheduleCreate.extend({ id: ScheduleCreate.shape.id.unwrap(), owner: z.string() }).openapi(
  'ScheduleEntry',
);
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

const EVERYONE: Principal = { userId: null, name: 'configuration', role: 'admin' };

/** Every schedule, every field explicit, sorted by id: the export's `schedules`. */
export async function exportSchedules(deps: ScheduleDeps): Promise<ScheduleEntry[]> {
  const views = await listSchedules(deps, EVERYONE);
  return views.map((v) => ({
    id: v.id,
    owner: v.owner,
    job: v.job,
    parameters: v.parameters,
    input: v.input,
    dataset: v.dataset,
    cron: v.cron,
    interval: v.interval,
    timeZone: v.timeZone,
    overlap: v.overlap,
    notifyEmail: v.notifyEmail,
    paused: v.paused,
    note: v.note,
  }));
}

/**
 * Creates the document's schedules that do not exist and rewrites those that do (merge: others are
 * kept). Runs after the catalogue import, so a schedule may name a job the same document adds.
 */
export async function importSchedules(deps: ScheduleDeps, entries: ScheduleEntry[]) {
  const report = { created: [] as string[], updated: [] as string[] };
  for (const [i, entry] of entries.entries()) {
    const owner = await deps.db.selectFrom('users').select('id').where('name', '=', entry.owner).executeTakeFirst();
    if (!owner) {
      throw new DomainError('unknown_reference', `schedules.${i}.owner: no user "${entry.owner}"`, [
        { path: `schedules.${i}.owner`, message: `no user "${entry.owner}"` },
      ]);
    }
    const principal: Principal = { userId: owner.id, name: entry.owner, role: 'submitter' };
    const { id, paused, note, owner: _owner, ...fields } = entry;
    try {
      const existing = await updateSchedule(deps, EVERYONE, id, fields).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'not_found') return null;
        throw err;
      });
      if (existing) {
        await commandSchedule(deps, EVERYONE, id, { kind: paused ? 'pause' : 'unpause', note: note ?? '' });
        report.updated.push(id);
      } else {
        await createSchedule(deps, principal, entry);
        report.created.push(id);
      }
    } catch (err) {
      throw underPath(err, `schedules.${i}`);
    }
  }
  return report;
}
