import type { Generated, Insertable, Selectable } from 'kysely';

export interface BatchesTable {
  id: string;
  created_at: Generated<Date>;
}
export type Batch = Selectable<BatchesTable>;
export type NewBatch = Insertable<BatchesTable>;
