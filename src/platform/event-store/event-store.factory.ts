import { AppConfig } from '../config/app.config';
import { SqlClient } from '../database/sql-client.port';
import { EsdbEventStore, EsdbLogger } from './esdb-event-store.adapter';
import { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store.adapter';

/**
 * The adapter EVENT_STORE names; everything else sees only the port. Both adapters are imported
 * plainly: the build emits CommonJS and keeps a native `import()` as is (`.swcrc`, ignoreDynamic, for
 * the ESM-only packages), and Node's ESM resolver adds no extension to a relative path, so a lazy
 * `import('./esdb-event-store.adapter')` cannot load. The client is pure JavaScript (~70 ms to load).
 */
export async function createEventStore(config: AppConfig, sql: SqlClient, logger?: EsdbLogger): Promise<EventStore> {
  if (config.EVENT_STORE !== 'esdb') return new PostgresEventStore(sql);
  return new EsdbEventStore(config.EVENTSTORE_CONNECTION_STRING as string, { maxAppendBytes: config.EVENTSTORE_MAX_APPEND_BYTES, logger });
}
