import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kysely, Migration, MigrationProvider, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import { MIGRATIONS_DIR } from '../project-paths.ts';

// Kysely's FileMigrationProvider skips .ts files on some runtimes; ours are plain ES modules.
class TsFileMigrationProvider implements MigrationProvider {
  readonly folder: string;

  constructor(folder: string) {
    this.folder = folder;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(this.folder)).filter((f) => /^\d{14}_.+\.ts$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.ts$/, '')] = await import(pathToFileURL(path.join(this.folder, file)).href);
    }
    return migrations;
  }
}

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: new TsFileMigrationProvider(MIGRATIONS_DIR) });
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
