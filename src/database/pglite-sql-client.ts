import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable } from './sql-client';

/** Same JS types as the node-postgres client (see postgres-sql-client.ts): exact int8, dates as text. */
const PARSERS = {
  20: (value: string) => value, // int8
  1082: (value: string) => value, // date
};

/**
 * SqlClient over PGlite, which is a single connection. One FIFO lock serialises every statement,
 * transaction and withConnection, so a transaction never interleaves with another caller's SQL.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private tail: Promise<unknown> = Promise.resolve();
  /** Marks code running inside transaction()/withConnection(): reaching the lock again would deadlock. */
  private readonly holder = new AsyncLocalStorage<true>();

  private constructor(private readonly db: PGlite) {}

  /** `dataDir` undefined: in memory. */
  static async create(dataDir?: string): Promise<PgliteSqlClient> {
    // PGlite is ESM-only; SWC keeps this dynamic import as import().
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dataDir, { parsers: PARSERS });
    return new PgliteSqlClient(db);
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return this.exclusive(() => run<R>(this.db, text, params));
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      this.db.transaction((tx) =>
        this.holder.run(true, () =>
          fn({ query: <R>(text: string, params?: unknown[]) => run<R>(tx, text, params) }),
        ),
      ),
    );
  }

  withConnection<T>(fn: (conn: SqlQueryable) => Promise<T>): Promise<T> {
    const conn: SqlQueryable = { query: <R>(text: string, params?: unknown[]) => run<R>(this.db, text, params) };
    return this.exclusive(() => this.holder.run(true, () => fn(conn)));
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.exclusive(() => this.db.listen(channel, onNotify));
    return () => this.exclusive(() => unlisten());
  }

  async exec(sql: string): Promise<void> {
    await this.exclusive(() => this.db.exec(sql));
  }

  async close(): Promise<void> {
    await this.exclusive(() => this.db.close());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holder.getStore()) {
      return Promise.reject(
        new Error('PGlite has one connection: inside transaction()/withConnection() use the queryable passed to the callback'),
      );
    }
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Like node-postgres: without parameters, the simple protocol, so the text may hold several statements. */
async function run<R>(db: Pick<Transaction, 'query' | 'exec'>, text: string, params?: unknown[]) {
  if (params && params.length > 0) return toResult(await db.query<R>(text, params));
  const results = await db.exec(text);
  return toResult(results[results.length - 1] as Results<R>);
}

function toResult<R>(result: Results<R>): { rows: R[]; rowCount: number } {
  // Like node-postgres: rows returned for statements with a result set, else rows affected.
  return { rows: result.rows, rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}
