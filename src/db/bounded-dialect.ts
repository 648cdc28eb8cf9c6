import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** A query, or the wait for a connection, that took longer than the bound: the database is as good as down. */
export class QueryTimeoutError extends Error {
  readonly code = 'QUERY_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`the database did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Bounds every query and every wait for a connection, so a frozen or unreachable PostgreSQL costs a
 * caller `timeoutMs`, not forever (postgres.js has no query timeout; TCP keeps a stopped server's
 * connections open). A connection whose query timed out goes back to the pool only once everything
 * sent on it has settled: a transaction's late ROLLBACK then runs before anyone else uses it.
 */
export function boundedDialect(inner: Dialect, timeoutMs: number): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: () => new BoundedDriver(inner.createDriver(), timeoutMs),
  };
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

class BoundedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(inner: DatabaseConnection, timeoutMs: number) {
    this.inner = inner;
    this.#timeoutMs = timeoutMs;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const work = this.inner.executeQuery<R>(query);
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return withTimeout(work, this.#timeoutMs);
  }

  // Streams hand rows over as they come: there is no single answer to wait for.
  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Resolves once every query sent on this connection has an answer (or failed). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  get busy(): boolean {
    return this.#inFlight.size > 0;
  }
}

class BoundedDriver implements Driver {
  readonly #inner: Driver;
  readonly #timeoutMs: number;

  constructor(inner: Driver, timeoutMs: number) {
    this.#inner = inner;
    this.#timeoutMs = timeoutMs;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const acquiring = this.#inner.acquireConnection();
    try {
      return new BoundedConnection(await withTimeout(acquiring, this.#timeoutMs), this.#timeoutMs);
    } catch (err) {
      // A connection that arrives after we gave up is handed straight back.
      if (err instanceof QueryTimeoutError) {
        acquiring.then(
          (late) => this.#inner.releaseConnection(late),
          () => {},
        );
      }
      throw err;
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await this.#inner.releaseSavepoint?.(connection, name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const bounded = connection as BoundedConnection;
    if (!bounded.busy) return this.#inner.releaseConnection(bounded.inner);
    void bounded.settled().then(() => this.#inner.releaseConnection(bounded.inner));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
