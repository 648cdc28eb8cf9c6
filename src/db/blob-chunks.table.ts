import type { Insertable, Selectable } from 'kysely';

export interface BlobChunksTable {
  blob_id: string;
  seq: number;
  data: Uint8Array;
}
export type BlobChunk = Selectable<BlobChunksTable>;
export type NewBlobChunk = Insertable<BlobChunksTable>;
