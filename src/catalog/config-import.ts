import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { ValidatorRegistry } from '../validators/validator.ts';
import { deleteBackend, normalizeBackend, putBackend } from './backend-service.ts';
import { exportConfig } from './config-export.ts';
import type { ConfigDocumentInput, ImportMode, ImportReport, KindReport } from './config-schemas.ts';
import { deleteJob, normalizeJob, putJob } from './job-service.ts';
import { innerJobsFirst } from './job-nesting-rules.ts';
import { compareNames } from './names.ts';
import { underPath, violationError, type RuleViolation } from './rule-violation.ts';
import { normalizeTask } from './task-mapping.ts';
import { deleteTask, putTask } from './task-service.ts';

// One import at a time, so two replace-mode imports cannot interleave their deletes.
const CONFIG_IMPORT_LOCK = 7_263_001;

export interface ImportOptions {
  mode: ImportMode;
  dryRun: boolean;
}

class DryRunRollback extends Error {
  readonly report: ImportReport;
  constructor(report: ImportReport) {
    super('dry run');
    this.report = report;
  }
}

type Kind = 'backends' | 'tasks' | 'jobs';

function duplicateNames(doc: ConfigDocumentInput): RuleViolation[] {
  return (['backends', 'tasks', 'jobs'] as const).flatMap((kind) => {
    const first = new Map<string, number>();
    return doc[kind].flatMap((entry, i) => {
      const earlier = first.get(entry.name);
      if (earlier === undefined) first.set(entry.name, i);
      return earlier === undefined
        ? []
        : [{ path: `${kind}.${i}.name`, message: `duplicate name "${entry.name}" (also ${kind}.${earlier})` }];
    });
  });
}

const emptyReport = (): KindReport => ({ created: [], updated: [], deleted: [], unchanged: [] });

/**
 * Applies a whole configuration document in one transaction: all of it or none of it. Objects
 * that would not change are not written. A dry run does every write and rolls them back, so it
 * reports exactly what a real import would do, errors included.
 */
export async function importConfig(
  db: Db,
  doc: ConfigDocumentInput,
  options: ImportOptions,
  registry: ValidatorRegistry,
): Promise<ImportReport> {
  const duplicates = duplicateNames(doc);
  if (duplicates.length) throw violationError('unprocessable', duplicates);
  try {
    return await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${CONFIG_IMPORT_LOCK})`.execute(tx);
      const current = await exportConfig(tx);
      const report: ImportReport = {
        dryRun: options.dryRun,
        mode: options.mode,
        backends: emptyReport(),
        tasks: emptyReport(),
        jobs: emptyReport(),
      };

      const apply = async <E extends { name: string }, T extends { name: string }>(
        kind: Kind,
        entries: E[],
        existing: T[],
        normalize: (entry: E) => T,
        put: (entry: E) => Promise<unknown>,
        order: Iterable<[number, E]> = entries.entries(),
      ) => {
        const before = new Map(existing.map((item) => [item.name, item]));
        for (const [i, entry] of order) {
          const old = before.get(entry.name);
          if (old && isDeepStrictEqual(old, normalize(entry))) {
            report[kind].unchanged.push(entry.name);
            continue;
          }
          report[kind][old ? 'updated' : 'created'].push(entry.name);
          await put(entry).catch((err: unknown) => Promise.reject(underPath(err, `${kind}.${i}`)));
        }
      };
      await apply('backends', doc.backends, current.backends, normalizeBackend, (e) => putBackend(tx, e));
      await apply('tasks', doc.tasks, current.tasks, normalizeTask, (e) => putTask(tx, e));
      // A job that runs another is put after it, wherever the document lists it.
      const jobOrder = innerJobsFirst(doc.jobs);
      await apply('jobs', doc.jobs, current.jobs, normalizeJob, (e) => putJob(tx, e, registry), jobOrder);

      if (options.mode === 'replace') {
        const remove = async (kind: Kind, existing: { name: string }[], del: (name: string) => Promise<boolean>) => {
          const kept = new Set(doc[kind].map((e) => e.name));
          for (const { name } of existing.filter((item) => !kept.has(item.name))) {
            await del(name).catch((err: unknown) => Promise.reject(underPath(err, kind)));
            report[kind].deleted.push(name);
          }
        };
        // ...and deleted before it.
        const outerFirst = innerJobsFirst(current.jobs)
          .reverse()
          .map(([, job]) => job);
        await remove('jobs', outerFirst, (name) => deleteJob(tx, name));
        await remove('tasks', current.tasks, (name) => deleteTask(tx, name));
        await remove('backends', current.backends, (name) => deleteBackend(tx, name));
      }
      for (const kind of ['backends', 'tasks', 'jobs'] as const) {
        for (const list of Object.values(report[kind])) list.sort(compareNames);
      }
      if (options.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.report;
    throw err;
  }
}
