import type { Generated, Insertable, Selectable } from 'kysely';

export interface SubmissionMessagesTable {
  id: Generated<string>;
  submission_id: string;
  step_index: number | null;
  status: string;
  message: string;
  created_at: Generated<Date>;
}
export type SubmissionMessage = Selectable<SubmissionMessagesTable>;
export type NewSubmissionMessage = Insertable<SubmissionMessagesTable>;
