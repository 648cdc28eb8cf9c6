import { ConfigError, loadConfig } from '../config.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { RunCommand } from './command.ts';

export const run: RunCommand = async () => {
  const config = loadConfig();
  if (!config.database.url) throw new ConfigError('DATABASE_URL is not set');
  const db = createDb({ url: config.database.url, poolSize: 1 });
  try {
    await migrateToLatest(db, (line) => console.log(line));
    console.log('database is up to date');
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return 1;
  } finally {
    await db.destroy();
  }
};
