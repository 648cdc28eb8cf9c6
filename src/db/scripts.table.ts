import type { Generated, Insertable, Selectable } from 'kysely';

/** Script texts by their sha256: written once, shared by every task version that has the same text. */
export interface ScriptsTable {
  sha256: string;
  text: string;
  created_at: Generated<Date>;
}
export type Script = Selectable<ScriptsTable>;
export type NewScript = Insertable<ScriptsTable>;
