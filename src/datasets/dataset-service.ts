import type { Principal } from '../auth/principal.ts';
import type { Db } from '../db/create-db.ts';
import type { Dataset } from '../db/datasets.table.ts';
import { DomainError } from '../domain/domain-error.ts';
import { freeUnheldBlobs } from '../files/blob-collector.ts';
import { storeUpload } from '../files/blob-store.ts';
import type { UploadedInput } from '../files/uploaded-input.ts';
import {
  deleteDatasetRow,
  deleteExpiredDatasets,
  findDataset,
  insertDataset,
  listDatasetRows,
} from './dataset-repository.ts';

const DAY_MS = 86_400_000;

export interface NewDatasetRequest {
  name: string;
  description: string;
  retentionDays: number | null;
  upload: UploadedInput;
}

export interface DatasetView {
  id: string;
  name: string;
  description: string;
  fileName: string;
  size: number;
  sha256: string;
  retentionDays: number | null;
  expiresAt: string | null;
  createdAt: string;
  links: { self: string; data: string };
}

export function datasetView(row: Dataset): DatasetView {
  const self = `/api/v1/datasets/${row.id}`;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    fileName: row.file_name,
    size: row.size,
    sha256: row.sha256,
    retentionDays: row.retention_days,
    expiresAt: row.expires_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    links: { self, data: `${self}/data` },
  };
}

/** Stores the upload's bytes (once per sha256) as a dataset owned by the caller's user. */
export async function createDataset(db: Db, principal: Principal, request: NewDatasetRequest): Promise<Dataset> {
  return storeUpload(db, request.upload, (trx, blob) =>
    insertDataset(trx, {
      name: request.name,
      description: request.description,
      file_name: request.upload.originalName,
      user_id: principal.userId,
      blob_id: blob.id,
      size: blob.size,
      sha256: blob.sha256,
      retention_days: request.retentionDays,
      expires_at: request.retentionDays === null ? null : new Date(Date.now() + request.retentionDays * DAY_MS),
    }),
  );
}

/** A dataset belongs to its uploader's user; admins see all. Others get 404, so ids are not confirmed. */
export async function findVisibleDataset(db: Db, id: string, principal: Principal | null): Promise<Dataset> {
  const row = await findDataset(db, id);
  if (!row || !principal || !(principal.role === 'admin' || (row.user_id !== null && row.user_id === principal.userId)))
    throw new DomainError('not_found', `No dataset ${id}`);
  return row;
}

export async function listDatasets(db: Db, principal: Principal, limit: number): Promise<Dataset[]> {
  return listDatasetRows(db, principal.role === 'admin' ? undefined : principal.userId, limit);
}

/** Deletes the dataset; its bytes stay while a submission that took it as input still holds them. */
export async function deleteDataset(db: Db, id: string, principal: Principal): Promise<void> {
  await findVisibleDataset(db, id, principal);
  const blobId = await deleteDatasetRow(db, id);
  await freeUnheldBlobs(db, [blobId ?? null]);
}

/** The retention sweep's share: datasets past their retention, a batch at a time. */
export async function expireDatasets(db: Db): Promise<number> {
  let expired = 0;
  for (;;) {
    const blobIds = await deleteExpiredDatasets(db);
    await freeUnheldBlobs(db, blobIds);
    expired += blobIds.length;
    if (blobIds.length === 0) return expired;
  }
}
