import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createSqlClient } from '../../platform/database/sql-client.factory';
import type { SqlClient } from '../../platform/database/sql-client.port';
import { EsdbEventStore, toEsdbConnectionString } from '../../platform/event-store/esdb-event-store.adapter';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { PostgresEventStore } from '../../platform/event-store/postgres-event-store.adapter';

/**
 * Where a log lives, as `npm run migrate-events -- --from … --to …` names it: an embedded PGlite data
 * directory (a path, the service's DATA_DIR), a PostgreSQL server (`postgres://` or `postgresql://`;
 * the connection's default schema, or the one its `options=-c search_path=…` names) or EventStoreDB /
 * KurrentDB (the schemes EVENTSTORE_CONNECTION_STRING accepts).
 */
export type StoreLocation =
  | { kind: 'pglite'; dir: string; label: string }
  | { kind: 'postgres'; url: string; label: string }
  | { kind: 'esdb'; connectionString: string; label: string };

const POSTGRES = /^postgres(ql)?:\/\/\S+$/;
const ESDB = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\/\S+$/;

export class StoreLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLocationError';
  }
}

export function parseStoreLocation(value: string, option: string): StoreLocation {
  const trimmed = value.trim();
  if (POSTGRES.test(trimmed)) return { kind: 'postgres', url: trimmed, label: redact(trimmed) };
  if (ESDB.test(trimmed)) return { kind: 'esdb', connectionString: trimmed, label: redact(trimmed) };
  if (trimmed.startsWith('memory://')) throw new StoreLocationError(`${option} memory:// holds nothing beyond this process: name a data directory`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1];
  if (scheme) {
    throw new StoreLocationError(
      `${option} ${scheme}:// is no store this tool knows: give a data directory path, postgres://… or esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover://, kurrent://, kdb:// (and their +discover forms)`,
    );
  }
  if (trimmed === '') throw new StoreLocationError(`${option} needs a value`);
  const dir = resolve(trimmed);
  return { kind: 'pglite', dir, label: dir };
}

/** The same store named twice (the same directory, or the same connection string, KurrentDB's schemes read as esdb's). */
export function sameLocation(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === 'pglite' && b.kind === 'pglite') return a.dir === b.dir;
  if (a.kind === 'esdb' && b.kind === 'esdb') return toEsdbConnectionString(a.connectionString) === toEsdbConnectionString(b.connectionString);
  if (a.kind === 'postgres' && b.kind === 'postgres') return a.url === b.url;
  return false;
}

export interface OpenedStore {
  store: EventStore;
  location: StoreLocation;
  close(): Promise<void>;
}

/**
 * Opens the event store at `location`. A source must already hold a log (a PGlite directory that
 * exists, a database with the `es_events` table): opening one never creates anything in it. A target
 * gets the event tables it lacks (PostgreSQL, PGlite; a missing directory is created).
 */
export async function openStoreAt(location: StoreLocation, role: 'source' | 'target', options: { maxAppendBytes?: number } = {}): Promise<OpenedStore> {
  if (location.kind === 'esdb') {
    const store = new EsdbEventStore(location.connectionString, { maxAppendBytes: options.maxAppendBytes });
    return { store, location, close: () => store.close() };
  }
  if (location.kind === 'pglite' && role === 'source' && !existsSync(join(location.dir, 'PG_VERSION'))) {
    throw new StoreLocationError(`--from ${location.dir} is no embedded data directory (no PG_VERSION in it)`);
  }
  const sql = await createSqlClient(location.kind === 'postgres' ? { databaseUrl: location.url, poolSize: 4 } : { dataDir: location.dir });
  try {
    if (role === 'source' && !(await hasEventLog(sql))) {
      throw new StoreLocationError(`--from ${location.label} holds no event log (no es_events table in its schema)`);
    }
    const store = new PostgresEventStore(sql);
    return {
      store,
      location,
      close: async () => {
        await store.close();
        await sql.close();
      },
    };
  } catch (error) {
    await sql.close();
    throw error;
  }
}

async function hasEventLog(sql: SqlClient): Promise<boolean> {
  const { rows } = await sql.query<{ table: string | null }>(`SELECT to_regclass('es_events')::text AS table`);
  return rows[0]?.table !== null && rows[0]?.table !== undefined;
}

/** The location without its password (connection strings may carry credentials). */
function redact(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:/@,]+):[^@/]*@/i, '$1:***@');
}
