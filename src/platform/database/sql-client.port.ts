/**
 * The one SQL surface the service uses, over either an embedded PGlite or a PostgreSQL server
 * (node-postgres pool). Same SQL in both modes: the read models, checkpoints and (with
 * EVENT_STORE=postgres) the events live behind it.
 */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /**
   * Inserts rows given column by column (`values[c][r]`: strings, numbers or null, arrays of one length)
   * into `table`; `columns` maps each column to its SQL type. Many rows go by COPY on a server (the
   * rebuild's bulk writes), else by one `INSERT ... SELECT * FROM unnest(...)`.
   */
  insertColumns(table: string, columns: SqlColumnTypes, values: readonly unknown[][]): Promise<void>;
}

/** Column name -> SQL type (`text`, `int`, `float8`, `timestamptz`, `numeric`, `json`, ...). */
export type SqlColumnTypes = Readonly<Record<string, string>>;

export interface SqlClient extends SqlQueryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (session-level state such as advisory locks). */
  withConnection<T>(fn: (conn: SqlQueryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Runs several statements separated by semicolons without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const SQL_CLIENT = Symbol('SQL_CLIENT');

/**
 * How long a named prepared statement's plan is kept before the statement is prepared again (ms). The server
 * caches a generic plan after five executions and keeps it until the statement is closed or its tables are
 * analyzed again: a plan made while a read model's table held a few hundred rows (a sequential scan and a hash
 * join) stayed in use when it held fifty thousand, so a projection batch cost more with every change recorded
 * (docs/operations.md, "Plans made on small tables"). Re-preparing takes the tables' sizes as they are now.
 */
export const PLAN_LIFETIME_MS = 60_000;
