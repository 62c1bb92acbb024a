import { startKurrentDbDouble } from './kurrentdb-double';

/**
 * The event store of the app-level suites (test-app.ts, service-storage.ts): the configured default,
 * or, with EVENT_STORE=esdb in the test process's environment (`npm run test:esdb`, a CI step),
 * EventStoreDB: each test storage on a KurrentDB double of its own (test/support/kurrentdb-double),
 * started here in the test process, over loopback, and closed by dispose. A log of its own per storage,
 * as the suites expect of a fresh store (their stream ids are fixed), so EVENTSTORE_CONNECTION_STRING is
 * not used here: a real server runs the conformance suite (esdb-event-store.test.ts).
 */
export interface TestEventStore {
  /** EVENT_STORE and EVENTSTORE_CONNECTION_STRING for the service's environment; empty on the default store. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** Whether the suites run with EVENT_STORE=esdb (on KurrentDB doubles). */
export const onEventStoreDb = process.env.EVENT_STORE === 'esdb';

export async function createTestEventStore(): Promise<TestEventStore> {
  if (!onEventStoreDb) return { env: {}, dispose: async () => undefined };
  const double = await startKurrentDbDouble();
  return { env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString }, dispose: () => double.close() };
}
