import type { Generated, Insertable, Selectable } from 'kysely';

export interface BatchesTable {
  id: string;
  created_at: Generated<Date>;
  email_sent_at: Date | null;
  email_claimed_by: string | null;
}
export type Batch = Selectable<BatchesTable>;
export type NewBatch = Insertable<BatchesTable>;
