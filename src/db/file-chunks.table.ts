import type { Insertable, Selectable } from 'kysely';

export interface FileChunksTable {
  file_id: string;
  seq: number;
  data: Uint8Array;
}
export type FileChunk = Selectable<FileChunksTable>;
export type NewFileChunk = Insertable<FileChunksTable>;
