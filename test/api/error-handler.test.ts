import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import postgres from 'postgres';
import { catchAllErrors, createErrorHandler } from '../../src/api/error-handler.ts';
import { createLogger } from '../../src/logger.ts';
import { readJson } from '../helpers/test-app.ts';
import { testConfig } from '../helpers/test-stack.ts';

/** Two real transactions that lock two rows in opposite orders; PostgreSQL aborts one with 40P01. */
async function deadlockError(): Promise<unknown> {
  const sql = postgres(testConfig().database.url!, { max: 2, onnotice: () => {} });
  const table = `deadlock_${randomBytes(4).toString('hex')}`;
  try {
    await sql.unsafe(`create table ${table} (id int primary key)`);
    await sql.unsafe(`insert into ${table} values (1), (2)`);
    let bothLocked: () => void = () => {};
    let locked = 0;
    const ready = new Promise<void>((resolve) => (bothLocked = resolve));
    const crossLock = (first: number, second: number) =>
      sql.begin(async (tx) => {
        await tx.unsafe(`update ${table} set id = id where id = ${first}`);
        if (++locked === 2) bothLocked();
        await ready;
        await tx.unsafe(`update ${table} set id = id where id = ${second}`);
      });
    const outcomes = await Promise.allSettled([crossLock(1, 2), crossLock(2, 1)]);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (!failed) throw new Error('expected a deadlock');
    return failed.reason;
  } finally {
    await sql.unsafe(`drop table if exists ${table}`);
    await sql.end();
  }
}

/** A real connection refused because the server is full: a role allowed no connections gets SQLSTATE 53300. */
async function tooManyConnectionsError(): Promise<unknown> {
  const admin = postgres(testConfig().database.url!, { max: 1, onnotice: () => {} });
  const role = `full_${randomBytes(4).toString('hex')}`;
  try {
    await admin.unsafe(`create role ${role} login connection limit 0`);
    const url = new URL(testConfig().database.url!);
    url.username = role;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
      throw new Error('expected the connection to be refused');
    } catch (err) {
      return err;
    } finally {
      await sql.end();
    }
  } finally {
    await admin.unsafe(`drop role if exists ${role}`);
    await admin.end();
  }
}

function appThrowing(value: unknown) {
  const logger = createLogger('silent', 'test');
  const app = new Hono();
  app.use(catchAllErrors(logger));
  app.onError(createErrorHandler(logger));
  app.get('/', () => {
    throw value;
  });
  return app;
}

describe('error handling of values Hono would not pass to onError', () => {
  it('answers 503 database_unavailable for a connection error that is not an Error instance', async () => {
    const res = await appThrowing({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }).request(
      '/',
    );
    expect(res.status).toBe(503);
    expect((await readJson(res)).error.code).toBe('database_unavailable');
  });

  it('answers 503 concurrent_change with Retry-After for a transaction PostgreSQL aborted as a deadlock', async () => {
    const err = await deadlockError();
    expect(err).toMatchObject({ code: '40P01' });
    const res = await appThrowing(err).request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await readJson(res)).error.code).toBe('concurrent_change');
  });

  it('answers 503 database_unavailable when PostgreSQL refuses a connection as too many', async () => {
    const err = await tooManyConnectionsError();
    expect(err).toMatchObject({ code: '53300' });
    const res = await appThrowing(err).request('/');
    expect(res.status).toBe(503);
    expect((await readJson(res)).error.code).toBe('database_unavailable');
  });

  it('answers 500 internal_error in the API error shape for a thrown string', async () => {
    const res = await appThrowing('boom').request('/');
    expect(res.status).toBe(500);
    expect(await readJson(res)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
});
