import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite, Results, protocol as PgliteProtocol } from '@electric-sql/pglite';
import { insertByUnnest } from './column-inserts.sql';
import { readWireAnswer, type WireResult } from './pglite-wire.util';
import { PLAN_LIFETIME_MS, type SqlClient, type SqlColumnTypes, type SqlQueryable } from './sql-client.port';

/** Same JS types as the node-postgres client (see postgres-sql-client.adapter.ts): exact int8, dates as text. */
const PARSERS = {
  20: (value: string) => value, // int8
  1082: (value: string) => value, // date
};

/**
 * Named prepared statements kept, most recently used last. The service runs a few dozen distinct
 * statements; the bound only matters for callers that build SQL text from values.
 */
const MAX_PREPARED = 256;

interface Wire {
  serialize: typeof PgliteProtocol.serialize;
  DatabaseError: typeof PgliteProtocol.messages.DatabaseError;
}

/**
 * SqlClient over PGlite, which is a single connection. One FIFO lock serialises every statement,
 * transaction and withConnection, so a transaction never interleaves with another caller's SQL.
 *
 * A parameterised query goes to PGlite as one protocol message (parse, bind, describe, execute,
 * sync), where PGlite's own query() makes five calls into WebAssembly; parameters are sent as text
 * like node-postgres sends them, so SQL and parameters behave the same in both modes. Each distinct
 * text is parsed once into a named prepared statement and then only bound and executed: PGlite runs
 * in this process, so parse analysis and rewriting of every statement would cost the service's own CPU.
 * Their answers and those of BEGIN, COMMIT and ROLLBACK are read from PGlite's raw output (pglite-wire.util.ts)
 * rather than through its message parser; notifications in them reach this client's listeners.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private tail: Promise<unknown> = Promise.resolve();
  /** Marks code running inside transaction()/withConnection(): taking the lock again would deadlock. */
  private readonly holder = new AsyncLocalStorage<{ holding: boolean }>();
  // Always unnest: PGlite's COPY FROM reads a file (/dev/blob), not measured against it.
  private readonly connection: SqlQueryable = {
    query: (text, params) => this.run(text, params),
    insertColumns: (table, columns, values) => insertByUnnest(this.connection, table, columns, values),
  };
  /** Statement name and when it was prepared, by SQL text (Map order: least recently used first). */
  private readonly prepared = new Map<string, { name: string; preparedAt: number }>();
  private statements = 0;
  /** By channel as PostgreSQL names it; PGlite's own listeners get the notifications of db.exec's answers. */
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();

  private constructor(
    private readonly db: PGlite,
    private readonly wire: Wire,
    private readonly planLifetimeMs: number,
  ) {}

  /**
   * `dataDir` undefined: in memory. `initialData`: a data directory dumped by PGlite's
   * dumpDataDir(), much faster to start from than a new cluster (tests use it).
   */
  static async create(options: { dataDir?: string; initialData?: Blob; planLifetimeMs?: number } = {}): Promise<PgliteSqlClient> {
    // PGlite is ESM-only; SWC keeps this dynamic import as import().
    const { PGlite, protocol } = await import('@electric-sql/pglite');
    const db = await PGlite.create(options.dataDir, { parsers: PARSERS, loadDataDir: options.initialData });
    return new PgliteSqlClient(db, { serialize: protocol.serialize, DatabaseError: protocol.messages.DatabaseError }, options.planLifetimeMs ?? PLAN_LIFETIME_MS);
  }

  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return this.exclusive(() => this.run<R>(text, params));
  }

  insertColumns(table: string, columns: SqlColumnTypes, values: readonly unknown[][]): Promise<void> {
    return this.exclusive(() => this.connection.insertColumns(table, columns, values));
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.simple('BEGIN');
      try {
        const result = await this.holding(() => fn(this.connection));
        const commit = await this.simple('COMMIT');
        // COMMIT of a transaction that had a (caught) error rolls back.
        if (commit.command === 'ROLLBACK') throw new Error('Transaction aborted by an earlier error; rolled back');
        return result;
      } catch (error) {
        if (this.db.isInTransaction()) await this.simple('ROLLBACK');
        throw error;
      }
    });
  }

  withConnection<T>(fn: (conn: SqlQueryable) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.holding(() => fn(this.connection)));
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.exclusive(() => this.db.listen(channel, onNotify));
    // As PGlite keys its listeners (toPostgresName): a quoted name as written, else in lower case.
    const name = channel.startsWith('"') && channel.endsWith('"') ? channel.slice(1, -1) : channel.toLowerCase();
    const listeners = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, listeners.add(onNotify));
    return () => {
      listeners.delete(onNotify);
      return this.exclusive(() => unlisten());
    };
  }

  async exec(sql: string): Promise<void> {
    await this.exclusive(() => this.db.exec(sql));
  }

  async close(): Promise<void> {
    await this.exclusive(() => this.db.close());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.holder.getStore()?.holding) {
      return Promise.reject(
        new Error('PGlite has one connection: inside transaction()/withConnection() use the queryable passed to the callback'),
      );
    }
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Work scheduled from inside `fn` that runs after it (timers, unawaited promises) may use the client. */
  private async holding<T>(fn: () => Promise<T>): Promise<T> {
    const mark = { holding: true };
    try {
      return await this.holder.run(mark, fn);
    } finally {
      mark.holding = false;
    }
  }

  /** Like node-postgres: without parameters, the simple protocol, so the text may hold several statements. */
  private async run<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    if (!params || params.length === 0) {
      const results = await this.db.exec(text);
      return toResult(results[results.length - 1] as Results<R>);
    }
    const { serialize } = this.wire;
    let known = this.prepared.get(text);
    if (known) this.prepared.delete(text); // set again below, as the most recently used
    // Past its lifetime, prepared again: its plan then follows the tables' sizes as they are (PLAN_LIFETIME_MS).
    if (known && performance.now() - known.preparedAt > this.planLifetimeMs) {
      await this.closeStatement(known.name);
      known = undefined;
    }
    const name = known?.name ?? `s${++this.statements}`;
    const message = concat([
      ...(known ? [] : [serialize.parse({ name, text })]),
      serialize.bind({ statement: name, values: params.map(toParameter) }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    let result: WireResult;
    try {
      result = await this.exchange(message);
    } catch (error) {
      // The statement may be fine and only these values wrong, but Parse may as well have failed: start over next time.
      await this.closeStatement(name);
      throw error;
    }
    this.prepared.set(text, known ?? { name, preparedAt: performance.now() });
    if (this.prepared.size > MAX_PREPARED) {
      const [[oldest, { name: oldestName }]] = this.prepared;
      this.prepared.delete(oldest);
      await this.closeStatement(oldestName);
    }
    return { rows: result.rows as R[], rowCount: result.fieldCount > 0 ? result.rows.length : result.affectedRows };
  }

  /** A statement without parameters of the simple protocol, its one result. */
  private simple(text: string): Promise<WireResult> {
    return this.exchange(this.wire.serialize.query(text));
  }

  /** Sends a protocol message; its first statement's result, or its first error thrown (as execProtocol does). */
  private async exchange(message: Uint8Array): Promise<WireResult> {
    const chunks: Uint8Array[] = [];
    // The chunks are views of PGlite's memory, reused by its next call: copied.
    await this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData: (bytes) => chunks.push(bytes.slice()) }));
    const { results, error } = readWireAnswer(chunks.length === 1 ? chunks[0] : concat(chunks), this.db.parsers, this.wire.DatabaseError, (channel, payload) => {
      for (const listener of this.listeners.get(channel) ?? []) queueMicrotask(() => listener(payload));
    });
    if (error) throw error;
    return results[0];
  }

  /** Closing a statement that does not exist is no error; Close is accepted in an aborted transaction. */
  private async closeStatement(name: string): Promise<void> {
    const { serialize } = this.wire;
    await this.db.runExclusive(() => this.db.execProtocol(concat([serialize.close({ type: 'S', name }), serialize.sync()])));
  }
}

function toResult<R>(result: Results<R>): { rows: R[]; rowCount: number } {
  // Like node-postgres: rows returned for statements with a result set, else rows affected.
  return { rows: result.rows, rowCount: result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}

/** A parameter as node-postgres sends it: text, except bytes (binary). */
function toParameter(value: unknown): string | Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayLiteral(values: unknown[]): string {
  const items = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return arrayLiteral(value);
    if (value instanceof Uint8Array) return `"\\\\x${Buffer.from(value).toString('hex')}"`;
    return `"${String(toParameter(value)).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}
