import { sql } from 'kysely';
import { whileDatabaseDown } from '../../activities/while-database-down.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { testConfig } from '../helpers/test-stack.ts';

// The bound a worker's pool gets from WORKER_DATABASE_QUERY_TIMEOUT_SECONDS, kept short for the test.
const BOUND_SECONDS = 1;
const target = new URL(testConfig().database.url!);
const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
let db: Db;

beforeAll(async () => {
  await proxy.start();
  const url = new URL(target);
  url.port = String(proxy.port);
  db = createDb({ url: url.toString(), poolSize: 2, queryTimeoutSeconds: BOUND_SECONDS });
});

afterAll(async () => {
  await db.destroy();
  await proxy.stop();
});

describe("a worker's database call on a connection that went silent", () => {
  it('is given up after the bound and tried again on another connection, instead of hanging its step', async () => {
    const one = () => sql<{ answer: number }>`select 42 as answer`.execute(db);
    expect((await one()).rows).toEqual([{ answer: 42 }]);

    // The pooled connection now swallows whatever is sent on it and never closes: without the
    // bound, the next call would wait for an answer for as long as the step heartbeats.
    await proxy.setMode('stall');
    const { rows } = await whileDatabaseDown(new AbortController().signal, one);
    expect(rows).toEqual([{ answer: 42 }]);
  });
});
