import { loadConfig } from '../../src/platform/config/app.config';
import { openSqlClient } from '../../src/platform/database/open-sql-client.factory';
import { allMigrations } from '../../src/app/all-migrations.registry';
import type { SqlClient } from '../../src/platform/database/sql-client.port';
import { createEventStore } from '../../src/platform/event-store/event-store.factory';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import type { SeedStream } from '../../src/tools/seed/stream-builder.seed';
import { EventStoreSink } from '../../src/tools/seed/stream-sinks.seed';
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
  const sql = await openSqlClient(config, allMigrations(config));
  const store = await createEventStore(config, sql);
  const sink = new EventStoreSink(store, sql.kind === 'pglite' ? 1 : 8);
  return {
    store,
    sql,
    async append(...phases) {
      for (const phase of phases) await sink.write(phase, () => undefined);
    },
    async eventCount() {
      if (store.kind === 'postgres') return store.countAfter(null);
      // EventStoreDB counts within one bounded read: read the log through.
      let count = 0;
      for (let batch = await store.readAll(null, 5_000); batch.events.length > 0; batch = await store.readAll(batch.checkpoint, 5_000)) count += batch.events.length;
      return count;
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
