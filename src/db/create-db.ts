import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { loadConfig } from '../config.ts';
import { boundedDialect } from './bounded-dialect.ts';
import type { Database } from './database.ts';

export interface DbOptions {
  url: string;
  poolSize?: number;
  connectTimeoutSeconds?: number;
  /** Every query and wait for a connection gives up after this long (0: unbounded). */
  queryTimeoutSeconds?: number;
  /** Where the bytes of the blobs this database describes live (config.fileStoreDir by default). */
  fileStoreDir?: string;
}

export type Db = Kysely<Database>;

/** How long `db.destroy()` lets open connections finish before it closes them. */
const SHUTDOWN_GRACE_SECONDS = 5;

const rawConnections = new WeakMap<Db, postgres.Sql>();
const fileStoreDirs = new WeakMap<Db, string>();

/** The postgres.js pool behind a Db, for what Kysely cannot express (COPY, LISTEN). */
export function rawSqlOf(db: Db): postgres.Sql {
  const sql = rawConnections.get(db);
  if (!sql) throw new Error('rawSqlOf needs the Db from createDb, not a transaction');
  return sql;
}

/**
 * The directory holding the bytes of this database's blobs: the rows and the files they name go
 * together, so whoever has the Db can read and store bytes without another parameter.
 */
export function fileStoreDirOf(db: Db): string {
  if (!rawConnections.has(db)) throw new Error('fileStoreDirOf needs the Db from createDb, not a transaction');
  // Read when first needed, so a process that never touches bytes never reads the setting.
  const dir = fileStoreDirs.get(db) ?? loadConfig().fileStoreDir;
  fileStoreDirs.set(db, dir);
  return dir;
}

/** One pool per process; entrypoints call `db.destroy()` on shutdown. */
export function createDb({
  url,
  poolSize = 10,
  connectTimeoutSeconds = 5,
  queryTimeoutSeconds = 0,
  fileStoreDir,
}: DbOptions): Db {
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: connectTimeoutSeconds,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { TimeZone: 'UTC', application_name: 'analytics-automated' },
    // File sizes are bigint; numbers are exact up to 2^53 bytes, far past any upload.
    types: {
      bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
  });
  // Kysely's destroy() ends the pool with no timeout; a connection whose socket never reports its
  // close (seen after an outage behind a TCP proxy) would then hang shutdown for good.
  const endPool = sql.end;
  sql.end = ({ timeout = SHUTDOWN_GRACE_SECONDS } = {}) => endPool({ timeout });
  const dialect = new PostgresJSDialect({ postgres: sql });
  const db = new Kysely<Database>({
    dialect: queryTimeoutSeconds > 0 ? boundedDialect(dialect, queryTimeoutSeconds * 1000) : dialect,
  });
  rawConnections.set(db, sql);
  if (fileStoreDir) fileStoreDirs.set(db, fileStoreDir);
  return db;
}
