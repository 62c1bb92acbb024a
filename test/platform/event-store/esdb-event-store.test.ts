import { EsdbEventStore } from '../../../src/platform/event-store/esdb-event-store.adapter';
import { startKurrentDbDouble } from '../../support/kurrentdb-double';
import { eventStoreConformance } from './conformance';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  eventStoreConformance('EsdbEventStore', async () => ({
    store: new EsdbEventStore(connectionString),
    // Streams are never deleted on a shared server: every test uses fresh stream ids.
    dispose: async () => undefined,
  }));
} else {
  // Without a server: the KurrentDB double (test/support/kurrentdb-double), over a real gRPC socket.
  // Its $stats system events (a server's --write-stats-to-db, here far more often than a real server's
  // one-second minimum) land between the tests' own events, so that the adapter's filters are exercised.
  eventStoreConformance('EsdbEventStore on the KurrentDB double', async () => {
    const server = await startKurrentDbDouble({ statsPeriodMs: 50 });
    return { store: new EsdbEventStore(server.connectionString), dispose: () => server.close() };
  });
}
