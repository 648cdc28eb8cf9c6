import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely, MigrationResultSet } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely';
import { MIGRATIONS_DIR } from '../project-paths.ts';

// Kysely's provider imports every .ts (not .d.ts) and .js file of the folder by absolute path and
// keeps those exporting `up`; Node's type stripping runs them as they are.
// Unordered: features are built side by side and land in any order, so a database that ran a later
// migration first still gets an earlier-named one that arrives after it (each is independent of the others).
export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
    allowUnorderedMigrations: true,
  });
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>, log: (line: string) => void = () => {}): Promise<void> {
  const { error, results }: MigrationResultSet = await createMigrator(db).migrateToLatest();
  for (const result of results ?? []) {
    log(`migration ${result.migrationName}: ${result.status}`);
  }
  if (error) {
    throw new Error(`migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
