import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/dev/embedded-postgres.ts';
import { freePort } from '../../src/dev/free-port.ts';
import { descendants } from './process-tree.ts';

/**
 * A PostgreSQL server of the test's own, migrated, that the test may stop, start and freeze for real
 * (the run's shared server must stay up for every other test file).
 */
export class OwnPostgres {
  url = '';
  #dir = '';
  #port = 0;
  #running: RunningPostgres | undefined;

  async start(): Promise<this> {
    if (!this.#dir) {
      this.#dir = await mkdtemp(path.join(tmpdir(), 'aa-own-pg-'));
      // As root, PostgreSQL runs as user postgres, which must reach the data folder inside.
      await chmod(this.#dir, 0o755);
    }
    this.#port ||= await freePort();
    const first = !this.#running && !this.url;
    this.#running = await startEmbeddedPostgres(path.join(this.#dir, 'data'), this.#port, () => {});
    this.url = this.#running.url;
    if (first) {
      const db = createDb({ url: this.url, poolSize: 1 });
      await migrateToLatest(db);
      await db.destroy();
    }
    return this;
  }

  /** A clean shutdown, as `pg_ctl stop` or a service restart does: open connections are terminated. */
  async stop(): Promise<void> {
    await this.#running?.stop();
    this.#running = undefined;
  }

  /** SIGSTOP to the server and every backend: it neither answers nor closes a connection, as a hung host. */
  async freeze(): Promise<void> {
    for (const pid of await this.#processes()) process.kill(pid, 'SIGSTOP');
  }

  async thaw(): Promise<void> {
    for (const pid of await this.#processes()) process.kill(pid, 'SIGCONT');
  }

  async #processes(): Promise<number[]> {
    const postmaster = Number((await readFile(path.join(this.#dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return [postmaster, ...descendants(postmaster)];
  }

  async remove(): Promise<void> {
    await this.stop();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }
}
