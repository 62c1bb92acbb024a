import { finished } from 'node:stream/promises';
import { Client, Pool, types, type ClientConfig, type PoolClient, type QueryConfig, type QueryResult } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { insertByUnnest } from './column-inserts.sql';
import { PLAN_LIFETIME_MS, type SqlClient, type SqlColumnTypes, type SqlQueryable } from './sql-client.port';

export interface PostgresSqlClientOptions {
  databaseUrl: string;
  /** Schema to create if absent and put first on every connection's search_path. */
  schema?: string;
  /** Default 20. */
  poolSize?: number;
  /** Default PLAN_LIFETIME_MS: a pooled connection, with its prepared statements, is replaced this often. */
  planLifetimeMs?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const DATE_OID = 1082;
const LISTENER_RETRY_MS = 1_000;
/**
 * Rows from which `insertColumns` sends COPY rather than INSERT: COPY costs a round trip more (the
 * server's go-ahead) and is not prepared, but the server parses its rows and inserts them many per
 * heap page at a time instead of parsing arrays and inserting row by row.
 */
const COPY_MIN_ROWS = 256;
/** Distinct statement texts sent by name, at most: texts built with values in them would fill every connection. */
const MAX_NAMED_STATEMENTS = 256;

/**
 * SqlClient over a node-postgres pool. int8 and numeric stay strings (node-postgres default, exact);
 * dates stay 'YYYY-MM-DD' text like in the PGlite client, instead of a local-midnight Date.
 */
export class PostgresSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly listener: NotificationListener;
  private readonly statements = new NamedStatements(MAX_NAMED_STATEMENTS);

  private constructor(
    private readonly pool: Pool,
    connection: ClientConfig,
  ) {
    this.listener = new NotificationListener(connection);
  }

  static async create(options: PostgresSqlClientOptions): Promise<PostgresSqlClient> {
    const url = new URL(options.databaseUrl);
    if (options.schema !== undefined) {
      if (!IDENTIFIER.test(options.schema)) throw new Error(`Invalid schema name: ${options.schema}`);
      await createSchema(options.databaseUrl, options.schema);
      // In the URL's `options`, which node-postgres lets win over its `options` config: added to them.
      url.searchParams.set('options', [url.searchParams.get('options'), `-c search_path="${options.schema}"`].filter(Boolean).join(' '));
    }
    const connection: ClientConfig = {
      connectionString: url.toString(),
      types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (value: string) => value : types.getTypeParser(oid, format)) as typeof types.getTypeParser },
    };
    // A connection past its lifetime is closed once idle and a new one prepares its statements afresh: their
    // plans follow the tables' sizes (PLAN_LIFETIME_MS); one reconnection per connection a minute costs nothing.
    const maxLifetimeSeconds = Math.max(1, Math.round((options.planLifetimeMs ?? PLAN_LIFETIME_MS) / 1_000));
    const pool = new Pool({ ...connection, max: options.poolSize ?? 20, maxLifetimeSeconds });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    return new PostgresSqlClient(pool, connection);
  }

  async query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    try {
      return toResult<R>(await this.pool.query(this.statements.config(text, params)));
    } catch (error) {
      // Outside a transaction nothing was done: once more, prepared afresh.
      if (!this.statements.outdated(text, error)) throw error;
      return toResult<R>(await this.pool.query(this.statements.config(text, params)));
    }
  }

  insertColumns(table: string, columns: SqlColumnTypes, values: readonly unknown[][]): Promise<void> {
    return this.withConnection((conn) => conn.insertColumns(table, columns, values));
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout();
    try {
      await client.query('BEGIN');
      const result = await fn(this.queryable(client));
      await client.query('COMMIT');
      release();
      return result;
    } catch (error) {
      // A failed ROLLBACK (lost connection) leaves the client unusable: destroy it instead of pooling it.
      await client.query('ROLLBACK').then(
        () => release(),
        (rollbackError: Error) => release(rollbackError),
      );
      throw error;
    }
  }

  async withConnection<T>(fn: (conn: SqlQueryable) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout();
    try {
      const result = await fn(this.queryable(client));
      release();
      return result;
    } catch (error) {
      // Session state (advisory locks, an open transaction) is unknown after a failure: drop the connection.
      release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.listener.listen(channel, onNotify);
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.pool.end();
  }

  private queryable(client: PoolClient): SqlQueryable {
    const queryable: SqlQueryable = {
      query: async <R>(text: string, params?: unknown[]) => {
        try {
          return toResult<R>(await client.query(this.statements.config(text, params)));
        } catch (error) {
          this.statements.outdated(text, error);
          throw error;
        }
      },
      insertColumns: async (table, columns, values) => {
        const rows = values[0].length >= COPY_MIN_ROWS ? copyRows(values) : undefined;
        if (rows === undefined) return insertByUnnest(queryable, table, columns, values);
        const copy = client.query(copyFrom(`COPY ${table} (${Object.keys(columns).join(', ')}) FROM STDIN`));
        copy.end(rows);
        await finished(copy);
      },
    };
    return queryable;
  }

  /**
   * The pool stops watching a client's 'error' event while it is checked out; unwatched, a connection
   * dying then (server restart, pg_terminate_backend) would crash the process. The next query on it
   * fails instead, and the pool discards a dead client on release.
   */
  private async checkout(): Promise<{ client: PoolClient; release(error?: Error): void }> {
    const client = await this.pool.connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    return {
      client,
      release: (error) => {
        client.removeListener('error', ignore);
        client.release(error);
      },
    };
  }
}

/**
 * Statements with parameters go by name: node-postgres prepares a name once per connection and then
 * only binds and executes it, so the server parses the write path's statements (append, projection
 * batch, checkpoint) once per connection instead of on every call. Without parameters a
 * query keeps the simple protocol (several statements in one text).
 */
class NamedStatements {
  private readonly names = new Map<string, string>();
  private made = 0;

  constructor(private readonly max: number) {}

  config(text: string, params: unknown[] | undefined): string | QueryConfig {
    if (params === undefined) return text;
    let name = this.names.get(text);
    if (name === undefined && this.made < this.max) this.names.set(text, (name = `s${this.made++}`));
    return { text, values: params.map(toParameter), name };
  }

  /**
   * Whether the server refused the statement's plan because its result columns changed (a table
   * altered or replaced under it): the text then gets a new name, prepared afresh on every connection.
   */
  outdated(text: string, error: unknown): boolean {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code !== '0A000' || typeof message !== 'string' || !message.includes('cached plan must not change result type')) return false;
    this.names.delete(text);
    return true;
  }
}

/**
 * Arrays of strings and numbers (the columns of multi-row writes, up to hundreds of thousands of
 * elements in a rebuild) as the array literal node-postgres would send, built at a fraction of its
 * cost: numbers need no quotes and most strings nothing escaped. Anything else goes to node-postgres.
 * An array of only numbers, or of only strings none of which needs escaping, is one `join` (one flat
 * string; appending element by element makes a rope of a node or two per element for the collector).
 */
function toParameter(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const kind = joinable(value);
  if (kind === 'number') return `{${value.join(',')}}`;
  if (kind === 'string') return `{"${value.join('","')}"}`;
  let literal = '{';
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (index > 0) literal += ',';
    if (item === null || item === undefined) literal += 'NULL';
    else if (typeof item === 'number') literal += String(item);
    else if (typeof item === 'string') literal += `"${ESCAPED.test(item) ? item.replace(ESCAPED_ALL, '\\$&') : item}"`;
    else return value;
  }
  return `${literal}}`;
}

/** Whether every element is a number, or every one a string with nothing to escape in an array literal. */
function joinable(items: unknown[]): 'number' | 'string' | undefined {
  const kind = typeof items[0];
  if (kind === 'number') {
    for (const item of items) if (typeof item !== 'number') return undefined;
    return kind;
  }
  if (kind !== 'string') return undefined;
  for (const item of items) if (typeof item !== 'string' || ESCAPED.test(item)) return undefined;
  return kind;
}

const ESCAPED = /["\\]/;
const ESCAPED_ALL = /["\\]/g;

/**
 * Rows given column by column as COPY's text format in UTF-8 bytes: tab between columns, newline after
 * each row, `\\N` for null, and backslash, tab, newline and carriage return in a string escaped with a
 * backslash. Written straight into one buffer: a text built by `+=` costs a rope node or two per value
 * (most of a rebuild's garbage) and then a copy into bytes. Undefined when a value is neither a
 * string, a number nor null (the caller inserts those rows instead).
 */
function copyRows(values: readonly unknown[][]): Buffer | undefined {
  const rows = values[0].length;
  const out = new CopyBytes(rows * values.length * 12);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < values.length; column++) {
      const value = values[column][row];
      if (column > 0) out.byte(TAB);
      if (value === null || value === undefined) out.ascii('\\N');
      else if (typeof value === 'number') out.number(value);
      else if (typeof value === 'string') out.text(value);
      else return undefined;
    }
    out.byte(NEWLINE);
  }
  return out.bytes();
}

const TAB = 9;
const NEWLINE = 10;
const COPY_ESCAPED_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A growing byte buffer for copyRows. */
class CopyBytes {
  private buffer: Buffer;
  private length = 0;

  constructor(estimate: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(estimate, 1024));
  }

  byte(code: number): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = code;
  }

  /** A string of ASCII characters that need no escaping (a number's text, `\\N`). */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
  }

  /** Integers of int4's range digit by digit (no string made); other numbers as String() spells them. */
  number(value: number): void {
    if ((value | 0) !== value) return this.ascii(String(value));
    this.room(11);
    let n = value;
    if (n < 0) {
      this.buffer[this.length++] = 45; // '-'
      n = -n;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.length += digits;
    for (let at = this.length - 1; digits > 0; digits--, at--, n = Math.floor(n / 10)) this.buffer[at] = 48 + (n % 10);
  }

  /** A string byte by byte while it is ASCII with nothing to escape (nearly all); else escaped and UTF-8 encoded. */
  text(value: string): void {
    this.room(value.length);
    const start = this.length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80 || code === 92 || code === TAB || code === NEWLINE || code === 13) {
        this.length = start;
        const escaped = value.replace(COPY_ESCAPED_ALL, (char) => COPY_ESCAPES[char]);
        this.room(Buffer.byteLength(escaped));
        this.length += this.buffer.write(escaped, this.length);
        return;
      }
      this.buffer[this.length++] = code;
    }
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private room(bytes: number): void {
    if (this.length + bytes > this.buffer.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}

/** Without parameters node-postgres uses the simple protocol: several statements give several results. */
function toResult<R>(result: QueryResult | QueryResult[]): { rows: R[]; rowCount: number } {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: last.rows as R[], rowCount: last.rowCount ?? 0 };
}

async function createSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two processes creating the schema at once: the loser sees a unique violation on pg_namespace.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}

/**
 * One dedicated connection for every LISTEN of a SqlClient (not taken from the pool). When it drops,
 * it reconnects, listens again, and then calls every callback once, since notifications may have been lost.
 */
class NotificationListener {
  /** Channel -> callbacks; the promise settles once LISTEN ran on the current connection. */
  private readonly channels = new Map<string, { callbacks: Set<(payload: string) => void>; listening: Promise<unknown> }>();
  private client: Promise<Client> | undefined;
  private closed = false;

  constructor(private readonly connection: ClientConfig) {}

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (!IDENTIFIER.test(channel)) throw new Error(`Invalid channel name: ${channel}`);
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { callbacks: new Set(), listening: this.connected().then((client) => client.query(`LISTEN ${channel}`)) };
      this.channels.set(channel, entry);
    }
    const { callbacks, listening } = entry;
    callbacks.add(onNotify);
    try {
      await listening;
    } catch (error) {
      callbacks.delete(onNotify);
      if (this.channels.get(channel)?.listening === listening) this.channels.delete(channel);
      throw error;
    }
    return async () => {
      callbacks.delete(onNotify);
      if (callbacks.size > 0 || this.channels.get(channel)?.callbacks !== callbacks) return;
      this.channels.delete(channel);
      const client = await this.client?.catch(() => undefined);
      await client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = await this.client?.catch(() => undefined);
    await client?.end();
  }

  private connected(): Promise<Client> {
    if (!this.client) {
      const attempt: Promise<Client> = this.connect().catch((error: unknown) => {
        if (this.client === attempt) this.client = undefined;
        throw error;
      });
      this.client = attempt;
    }
    return this.client;
  }

  private async connect(): Promise<Client> {
    const client = new Client(this.connection);
    client.on('error', () => undefined); // reported through 'end' below or through the failing call
    client.on('notification', (message) => {
      this.channels.get(message.channel)?.callbacks.forEach((callback) => callback(message.payload ?? ''));
    });
    await client.connect();
    client.once('end', () => {
      if (this.closed) return;
      this.client = undefined;
      this.reconnect();
    });
    for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    return client;
  }

  private reconnect(): void {
    if (this.closed || this.channels.size === 0) return;
    this.connected().then(
      () => this.channels.forEach(({ callbacks }) => callbacks.forEach((callback) => callback(''))),
      () => setTimeout(() => this.reconnect(), LISTENER_RETRY_MS).unref(),
    );
  }
}
