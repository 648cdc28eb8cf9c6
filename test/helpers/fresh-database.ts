import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface FreshDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * An empty database of its own, for tests that need to see every row (round trips); migrated to the
 * latest schema unless a migration test asks for none, to migrate it step by step itself.
 */
export async function createFreshDatabase({ migrated = true } = {}): Promise<FreshDatabase> {
  const server = process.env.AA_TEST_SERVER_DATABASE_URL;
  if (!server) throw new Error('AA_TEST_SERVER_DATABASE_URL is not set: run the tests with npm test');
  const name = `aa_fresh_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (migrated) {
    const db = createDb({ url: url.toString(), poolSize: 1 });
    await migrateToLatest(db);
    await db.destroy();
  }
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
