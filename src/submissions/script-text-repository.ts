import type { Db } from '../db/create-db.ts';

/** A stored script's text by its sha256; undefined when no script has that hash. */
export async function findScriptText(db: Db, sha256: string): Promise<string | undefined> {
  const row = await db.selectFrom('scripts').select('text').where('sha256', '=', sha256).executeTakeFirst();
  return row?.text;
}
