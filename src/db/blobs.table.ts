import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Bytes stored once per sha256, shared by every stored file and dataset that holds them. */
export interface BlobsTable {
  id: Generated<string>;
  // Null while its chunks are being written (the way of blobs stored before the file store).
  sha256: string | null;
  size: ColumnType<number, number | undefined, number>;
  // True: the bytes are rows of blob_chunks. False: a file in the store, named by sha256.
  in_database: Generated<boolean>;
  created_at: Generated<Date>;
}
export type Blob = Selectable<BlobsTable>;
export type NewBlob = Insertable<BlobsTable>;
