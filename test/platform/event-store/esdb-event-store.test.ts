import { test } from 'node:test';
import { EsdbEventStore } from '../../../src/platform/event-store/esdb-event-store.adapter';
import { eventStoreConformance } from './conformance';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreConformance('EsdbEventStore', async () => ({
    store: new EsdbEventStore(connectionString),
    // Streams are never deleted on a shared server: every test uses fresh stream ids.
    dispose: async () => undefined,
  }));
} else {
  test('EsdbEventStore conformance', { skip: 'EsdbEventStore conformance: EVENTSTORE_CONNECTION_STRING not set' }, () => undefined);
}
