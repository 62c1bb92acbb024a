import { loadConfig } from '../../src/config/app-config';
import { openSqlClient } from '../../src/database/open-sql-client';
import type { SqlClient } from '../../src/database/sql-client';
import { createEventStore } from '../../src/event-store/create-event-store';
import type { EventStore } from '../../src/event-store/event-store.port';
import type { SeedStream } from '../../src/seed/stream-builder';
import { EventStoreSink } from '../../src/seed/stream-sinks';
import type { ServiceStorage } from './service-storage';

/**
 * The service's own event store on a service storage, opened from the test or bench process to
 * write a prepared log in bulk. On PGlite the service must not be running on the same directory.
 */
export interface StorageStore {
  store: EventStore;
  sql: SqlClient;
  /** Appends streams in bulk, phase after phase (each phase complete before the next starts). */
  append(...phases: Array<Iterable<SeedStream>>): Promise<void>;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

export async function openStorageStore(storage: ServiceStorage): Promise<StorageStore> {
  const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' });
  const sql = await openSqlClient(config);
  const store = await createEventStore(config, sql);
  const sink = new EventStoreSink(store, sql.kind === 'pglite' ? 1 : 8);
  return {
    store,
    sql,
    async append(...phases) {
      for (const phase of phases) await sink.write(phase, () => undefined);
    },
    async eventCount() {
      const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM es_events');
      return Number(rows[0].n);
    },
    async close() {
      await store.close();
      await sql.close();
    },
  };
}

/** Opens, appends, closes. */
export async function appendToStorage(storage: ServiceStorage, ...phases: Array<Iterable<SeedStream>>): Promise<void> {
  const store = await openStorageStore(storage);
  try {
    await store.append(...phases);
  } finally {
    await store.close();
  }
}

export function* chain<T>(...iterables: Array<Iterable<T>>): Generator<T> {
  for (const iterable of iterables) yield* iterable;
}
