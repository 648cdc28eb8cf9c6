import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type FileKind = 'input' | 'result' | 'stdout' | 'stderr';

export interface StoredFilesTable {
  id: Generated<string>;
  submission_id: string;
  kind: FileKind;
  name: string;
  task_name: string | null;
  step_index: number | null;
  stage: number | null;
  // bigint arrives as a string from postgres.js unless parsed; createDb parses it to number.
  size: ColumnType<number, number | undefined, number>;
  sha256: string | null;
  // The bytes; null until they are all written.
  blob_id: string | null;
  completed_at: Date | null;
  created_at: Generated<Date>;
}
export type StoredFile = Selectable<StoredFilesTable>;
export type NewStoredFile = Insertable<StoredFilesTable>;
export type StoredFileUpdate = Updateable<StoredFilesTable>;
