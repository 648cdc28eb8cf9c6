import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface DatasetsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  file_name: string;
  user_id: number | null;
  blob_id: string;
  size: ColumnType<number, number, number>;
  sha256: string;
  retention_days: number | null;
  expires_at: Date | null;
  created_at: Generated<Date>;
}
export type Dataset = Selectable<DatasetsTable>;
export type NewDataset = Insertable<DatasetsTable>;
