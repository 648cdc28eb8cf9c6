import type { DomainError } from '../domain/domain-error.ts';
import type { Backend as BackendRow } from '../db/backends.table.ts';
import type { Db } from '../db/create-db.ts';
import { inTransaction } from '../db/in-transaction.ts';
import { defaultTaskQueue } from '../temporal/task-queues.ts';
import type { Backend, BackendEntry } from './backend-schemas.ts';
import {
  deleteBackendRow,
  findBackendRows,
  lockBackendForDelete,
  taskNamesUsingBackend,
  upsertBackendRow,
} from './backend-repository.ts';
import type { BackendDetail, LiveWorker } from './backend-worker-schemas.ts';
import { findLiveBackendWorkers } from './backend-worker-repository.ts';
import { columnToLimits, limitsToColumn } from './limit-schemas.ts';
import { compareNames } from './names.ts';
import { violationError } from './rule-violation.ts';

function toBackend(row: BackendRow): Backend {
  return {
    name: row.name,
    taskQueue: row.task_queue,
    rootPath: row.root_path,
    description: row.description,
    kind: row.kind,
    slurm: row.slurm,
    limits: columnToLimits(row.limits),
  };
}

const SLURM_DEFAULTS = { partition: null, account: null, qos: null, allowedOptions: [] };

export async function listBackends(db: Db, names?: string[]): Promise<Backend[]> {
  return (await findBackendRows(db, names)).map(toBackend).sort((a, b) => compareNames(a.name, b.name));
}

export async function getBackend(db: Db, name: string): Promise<Backend | undefined> {
  return (await listBackends(db, [name]))[0];
}

/** The stored form of an entry, defaults filled in: what GET returns after this PUT. */
export function normalizeBackend(entry: BackendEntry): Backend {
  return {
    name: entry.name,
    taskQueue: entry.taskQueue ?? defaultTaskQueue(entry.name),
    rootPath: entry.rootPath,
    description: entry.description,
    kind: entry.kind,
    // A slurm backend always shows its settings, defaults included; a local one has none.
    slurm: entry.kind === 'slurm' ? (entry.slurm ?? SLURM_DEFAULTS) : null,
    limits: entry.limits,
  };
}

export async function putBackend(db: Db, entry: BackendEntry): Promise<{ backend: Backend; created: boolean }> {
  if (entry.kind !== 'slurm' && entry.slurm !== null) {
    throw violationError('validation_failed', [
      { path: 'slurm', message: 'only a backend of kind slurm has slurm settings' },
    ]);
  }
  const backend = normalizeBackend(entry);
  const { created } = await upsertBackendRow(db, {
    name: backend.name,
    task_queue: backend.taskQueue,
    root_path: backend.rootPath,
    description: backend.description,
    kind: backend.kind,
    slurm: backend.slurm,
    limits: limitsToColumn(backend.limits),
  });
  return { backend, created };
}

/** Refuses (409) while tasks use the backend, naming them; false when there is no such backend. */
export async function deleteBackend(db: Db, name: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const id = await lockBackendForDelete(tx, name);
    if (id === undefined) return false;
    const tasks = await taskNamesUsingBackend(tx, id);
    if (tasks.length > 0) {
      throw violationError('conflict', [
        { path: '', message: `backend "${name}" is used by tasks ${tasks.join(', ')}`, names: tasks },
      ]);
    }
    await deleteBackendRow(tx, id);
    return true;
  });
}

/** A backend named in a body must exist; the 422 names the field. */
export function unknownBackend(name: string): DomainError {
  return violationError('unknown_reference', [{ path: 'backend', message: `no backend named "${name}"` }]);
}

interface StoredEnforcement {
  cgroups: { version: 'v1' | 'v2' } | null;
  prlimit: boolean;
  limits: LiveWorker['limits'];
}

/** The backend with its live workers and what each can enforce; undefined when there is no such backend. */
export async function getBackendDetail(db: Db, name: string): Promise<BackendDetail | undefined> {
  const backend = await getBackend(db, name);
  if (!backend) return undefined;
  const rows = await findLiveBackendWorkers(db, name);
  const workers = rows.map((row) => {
    const enforcement = row.enforcement as StoredEnforcement;
    return {
      host: row.host,
      pid: row.pid,
      startedAt: row.started_at.toISOString(),
      seenAt: row.seen_at.toISOString(),
      cgroups: enforcement.cgroups?.version ?? null,
      prlimit: enforcement.prlimit,
      limits: enforcement.limits,
    };
  });
  return { ...backend, workers };
}
