import { AppConfig } from '../config/app.config';
import { SqlClient } from '../database/sql-client.port';
import { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store.adapter';

/**
 * The adapter EVENT_STORE names; everything else sees only the port. The EventStoreDB client (gRPC)
 * is loaded only when it is used, which keeps the embedded default's start-up short.
 */
export async function createEventStore(config: AppConfig, sql: SqlClient): Promise<EventStore> {
  if (config.EVENT_STORE !== 'esdb') return new PostgresEventStore(sql);
  const { EsdbEventStore } = await import('./esdb-event-store.adapter');
  return new EsdbEventStore(config.EVENTSTORE_CONNECTION_STRING as string);
}
