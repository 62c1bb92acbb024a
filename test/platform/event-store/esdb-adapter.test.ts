import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { EventStoreDBClient, binaryEvent, jsonEvent, type AllStreamResolvedEvent, type AllStreamSubscription } from '@eventstore/db-client';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { toApiError } from '../../../src/platform/api/errors/to-api-error.util';
import {
  ESDB_COUNT_CAP,
  EsdbEventStore,
  EsdbSubscription,
  EventStoreDeadlineError,
  toRecordedEvent,
} from '../../../src/platform/event-store/esdb-event-store.adapter';
import {
  AppendTooLargeError,
  UndecodableEventError,
  appendSize,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  type SubscriptionHandler,
} from '../../../src/platform/event-store/event-store.port';
import { ProjectionEngine } from '../../../src/platform/projections/projection.engine';
import { RebuildFailedError } from '../../../src/platform/projections/projection.rebuild';
import { startKurrentDbDouble, type KurrentDbDouble } from '../../support/kurrentdb-double';
import { handleGetSupportedMethods } from '../../support/kurrentdb-double/node-services';
import { testDatabases } from '../../support/test-databases';
import { appendChunks } from '../../../src/tools/seed/stream-sinks.seed';
import { streamCountProjection } from '../projections/stream-count.projection';

/** A stand-in for the client's $all subscription: a readable of resolved events plus its control events. */
class FakeAllSubscription extends PassThrough {
  unsubscribed = 0;

  constructor(private readonly onUnsubscribe: () => Promise<void> = async () => undefined) {
    super({ objectMode: true });
  }

  unsubscribe(): Promise<void> {
    this.unsubscribed++;
    return this.onUnsubscribe();
  }

  caughtUp(): void {
    this.emit('caughtUp');
  }
}

function asClientSubscription(fake: FakeAllSubscription): AllStreamSubscription {
  return fake as unknown as AllStreamSubscription;
}

let nextPosition = 1_000n;

function resolved(overrides: Partial<Record<string, unknown>> = {}): AllStreamResolvedEvent {
  const position = { commit: nextPosition, prepare: nextPosition };
  nextPosition += 100n;
  return {
    event: {
      streamId: 'pop-1',
      id: randomUUID(),
      revision: 0n,
      type: 'RackInstalled',
      data: { rack: 'r1' },
      metadata: { effectiveAt: '2030-01-01T00:00:00.000Z', actor: 't', source: 'cli', commandId: 'c', correlationId: 'c', schemaVersion: 1 },
      isJson: true,
      created: new Date('2030-01-01T00:00:00.000Z'),
      position,
      ...overrides,
    },
  } as unknown as AllStreamResolvedEvent;
}

interface Recorder extends SubscriptionHandler {
  batches: RecordedEvent[][];
  errors: Error[];
}

function recorder(): Recorder {
  const batches: RecordedEvent[][] = [];
  const errors: Error[] = [];
  return {
    batches,
    errors,
    onEvents: async (events) => {
      batches.push(events);
    },
    onError: (error) => errors.push(error),
  };
}

/** Collects unhandled rejections while `run` runs (a listener keeps Node from exiting on them). */
async function unhandledRejectionsDuring(run: () => Promise<void>): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await sleep(50);
  } finally {
    process.off('unhandledRejection', listener);
  }
  return reasons;
}

function newEvent(type = 'E', data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { effectiveAt: '2030-01-01T00:00:00.000Z', actor: 't', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
  };
}

describe('EsdbEventStore without a server', () => {
  test('a failing subscription whose unsubscribe rejects (discovery gave up) reports the error once and leaves no unhandled rejection', async () => {
    const warnings: Array<{ details: object; message: string }> = [];
    const fake = new FakeAllSubscription(() => Promise.reject(new Error('Failed to discover after 10 attempts')));
    const handler = recorder();
    const reasons = await unhandledRejectionsDuring(async () => {
      new EsdbSubscription(asClientSubscription(fake), handler, 10, { warn: (details, message) => warnings.push({ details, message }) });
      fake.emit('error', new Error('Failed to discover after 10 attempts'));
      await sleep(10);
    });
    assert.deepEqual(reasons, []);
    assert.equal(fake.unsubscribed, 1);
    assert.deepEqual(handler.errors.map((error) => error.message), ['Failed to discover after 10 attempts']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /unsubscrib/i);
  });

  test('an event with a zero position (protobuf default: the server sent none) is refused loudly', () => {
    const zero = resolved({ position: { commit: 0n, prepare: 0n } });
    assert.throws(() => toRecordedEvent(zero), /no position.*23\.10/);
    const absent = resolved({ position: undefined });
    assert.throws(() => toRecordedEvent(absent), /no position.*23\.10/);
    assert.match(toRecordedEvent(resolved()).position, /^\d{20}:\d{20}$/);
  });

  test('a subscription that meets an event without a position fails with that error instead of delivering it', async () => {
    const fake = new FakeAllSubscription();
    const handler = recorder();
    new EsdbSubscription(asClientSubscription(fake), handler, 10);
    fake.write(resolved({ position: { commit: 0n, prepare: 0n } }));
    await sleep(20);
    assert.deepEqual(handler.batches, []);
    assert.equal(handler.errors.length, 1);
    assert.match(handler.errors[0].message, /no position/);
  });

  test('undecodable events (binary, malformed JSON, JSON that is no object, no metadata) are delivered in their place; reading them throws UndecodableEventError naming the event', async () => {
    const fake = new FakeAllSubscription();
    const handler = recorder();
    new EsdbSubscription(asClientSubscription(fake), handler, 10);
    const good = resolved();
    const binary = resolved({ isJson: false, data: new Uint8Array([1, 2, 3]) });
    const malformed = resolved({ data: '{"rack": ' }); // the client hands malformed JSON over as a string
    const array = resolved({ data: [1, 2] });
    const noMetadata = resolved({ metadata: undefined });
    const binaryMetadata = resolved({ metadata: new Uint8Array([1]) });
    const all = [good, binary, malformed, array, noMetadata, binaryMetadata];
    for (const event of all) fake.write(event);
    fake.caughtUp();
    await sleep(20);
    assert.deepEqual(handler.errors, []);
    const delivered = handler.batches.flat();
    assert.deepEqual(delivered.map((e) => e.eventId), all.map((e) => e.event?.id));
    assert.deepEqual(delivered[0].data, { rack: 'r1' });
    for (const event of delivered.slice(1)) {
      assert.equal(event.type, 'RackInstalled');
      assert.match(event.position, /^\d{20}:\d{20}$/);
      assert.throws(
        () => [event.data, event.metadata.schemaVersion],
        (error: unknown) => error instanceof UndecodableEventError && error.eventId === event.eventId && error.message.includes(event.eventId) && error.message.includes(event.position),
      );
      // Logging or serialising the event does not throw.
      assert.doesNotThrow(() => JSON.stringify(event));
    }
  });

  for (const expected of [1.5, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 64, 'nope' as unknown as number]) {
    test(`an invalid expected revision (${String(expected)}) is refused before anything is sent`, async () => {
      const store = new EsdbEventStore('esdb://127.0.0.1:1?tls=false');
      try {
        await assert.rejects(store.append(`s-${randomUUID()}`, [newEvent()], expected), /Invalid expected revision: /);
      } finally {
        await store.close();
      }
    });
  }
});

/**
 * An EventStore whose subscriptions are the adapter's EsdbSubscription over a fixed log of resolved
 * events (as the client would hand them over), so the projection engine meets exactly what the
 * adapter delivers.
 */
function storeOver(log: AllStreamResolvedEvent[]): EventStore {
  const positionOf = ({ event }: AllStreamResolvedEvent) =>
    `${String(event?.position.commit).padStart(20, '0')}:${String(event?.position.prepare).padStart(20, '0')}`;
  return {
    kind: 'esdb',
    append: () => Promise.reject(new Error('not here')),
    readStream: () => Promise.reject(new Error('not here')),
    streamRevision: () => Promise.reject(new Error('not here')),
    async readAll(checkpoint, maxCount) {
      const events = log.map(toRecordedEvent).filter((event) => checkpoint === null || event.position > checkpoint).slice(0, maxCount);
      return { events, checkpoint: events.length > 0 ? events[events.length - 1].position : checkpoint };
    },
    headPosition: async () => null,
    countAfter: async () => 0,
    subscribe(checkpoint, handler, options) {
      const fake = new FakeAllSubscription();
      const subscription = new EsdbSubscription(asClientSubscription(fake), handler, options?.batchSize ?? 500);
      for (const event of log) if (checkpoint === null || positionOf(event) > checkpoint) fake.write(event);
      fake.caughtUp();
      return subscription;
    },
    close: async () => undefined,
  };
}

for (const database of testDatabases()) {
  describe(`projection engine over EsdbSubscription (${database.name})`, () => {
    test('an undecodable event stops the projection on that event, named in its status, as on PostgreSQL (no resubscribing forever)', { timeout: 60_000 }, async () => {
      const { sql, dispose } = await database.create();
      const first = resolved();
      const undecodable = resolved({ isJson: false, data: new Uint8Array([0xff]), streamId: 'pop-2', revision: 4n });
      const log = [first, undecodable, resolved()];
      let subscriptions = 0;
      const base = storeOver(log);
      const store: EventStore = { ...base, subscribe: (...args) => (subscriptions++, base.subscribe(...args)) };
      const errors: unknown[] = [];
      const logger = { info() {}, warn() {}, error: (details: object) => errors.push(details) };
      const engine = new ProjectionEngine(sql, store, [streamCountProjection()], { leaderRetryMs: 50, heartbeatMs: 500, retryDelayMs: 10, recheckMs: 100, logger });
      try {
        await engine.start();
        const deadline = Date.now() + 30_000;
        let status = (await engine.status())[0];
        while (status.status !== 'FAILED' && Date.now() < deadline) {
          await sleep(20);
          status = (await engine.status())[0];
        }
        assert.equal(status.status, 'FAILED', `still ${status.status} after ${subscriptions} subscriptions`);
        const event = toRecordedEvent(undecodable);
        assert.deepEqual(status.failedEvent, { eventId: event.eventId, type: event.type, streamId: 'pop-2', revision: 4, position: event.position });
        assert.match(status.lastError ?? '', /cannot be decoded/);
        // The good event before it was applied and checkpointed.
        assert.equal(status.position, toRecordedEvent(first).position);
        assert.equal(subscriptions, 1);
        assert.equal(errors.length, 1);
      } finally {
        await engine.stop();
        await dispose();
      }
    });

    test('a rebuild stops on an undecodable event with RebuildFailedError naming it', { timeout: 60_000 }, async () => {
      const { sql, dispose } = await database.create();
      const undecodable = resolved({ data: '{"broken', streamId: 'pop-3', revision: 1n });
      const engine = new ProjectionEngine(sql, storeOver([resolved(), undecodable, resolved()]), [streamCountProjection()]);
      try {
        await assert.rejects(engine.rebuild(), (error: unknown) => {
          assert.ok(error instanceof RebuildFailedError, String(error));
          assert.equal(error.event.eventId, undecodable.event?.id);
          assert.match(error.message, /cannot be decoded: its data is not valid JSON/);
          return true;
        });
      } finally {
        await engine.stop();
        await dispose();
      }
    });
  });
}

/** The adapter's client, to watch the calls it makes. */
function clientOf(store: EsdbEventStore): EventStoreDBClient {
  return (store as unknown as { client: EventStoreDBClient }).client;
}

/** Records the options of every readAll the adapter makes. */
function watchReadAll(store: EsdbEventStore): Array<{ maxCount?: number; direction?: string }> {
  const client = clientOf(store);
  const calls: Array<{ maxCount?: number; direction?: string }> = [];
  const readAll = client.readAll.bind(client);
  client.readAll = ((options, readable) => {
    calls.push({ maxCount: options?.maxCount === undefined ? undefined : Number(options.maxCount), direction: options?.direction });
    return readAll(options, readable);
  }) as typeof client.readAll;
  return calls;
}

describe('EsdbEventStore on the KurrentDB double', () => {
  let server: KurrentDbDouble;
  let store: EsdbEventStore;
  before(async () => {
    server = await startKurrentDbDouble();
    store = new EsdbEventStore(server.connectionString);
  });
  after(async () => {
    await store.close();
    await server.close();
  });

  test('an append answers with the position the server sent: no read back, so a failing read cannot fail a durable append', async () => {
    const streamId = `pos-${randomUUID()}`;
    const client = clientOf(store);
    const readStream = client.readStream.bind(client);
    let reads = 0;
    client.readStream = (() => {
      reads++;
      throw new Error('reads are down');
    }) as typeof client.readStream;
    let result;
    try {
      result = await store.append(streamId, [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
    } finally {
      client.readStream = readStream;
    }
    assert.equal(reads, 0);
    const read = await store.readStream(streamId);
    assert.equal(result.revision, 2);
    assert.equal(result.position, read[2].position);
  });

  test('headPosition reads one event back from the end when the log ends with a user event', async () => {
    const { position } = await store.append(`head-${randomUUID()}`, [newEvent('A'), newEvent('B')], 'no_stream');
    const calls = watchReadAll(store);
    assert.equal(await store.headPosition(), position);
    assert.deepEqual(calls, [{ maxCount: 1, direction: 'backwards' }]);
  });

  test('headPosition skips system events at the end in pages growing from one event', async () => {
    const { position } = await store.append(`head-${randomUUID()}`, [newEvent('A')], 'no_stream');
    const raw = EventStoreDBClient.connectionString(server.connectionString);
    try {
      await raw.appendToStream(`links-${randomUUID()}`, Array.from({ length: 20 }, () => jsonEvent({ type: '$>', data: { link: 1 } })));
    } finally {
      await raw.dispose();
    }
    const calls = watchReadAll(store);
    assert.equal(await store.headPosition(), position);
    assert.deepEqual(calls.map((call) => call.maxCount), [1, 8, 64]);
  });

  test('countAfter is one bounded read: exact below the cap, the cap beyond it', async () => {
    const start = (await store.append(`count-${randomUUID()}`, [newEvent('Start')], 'no_stream')).position;
    const streamId = `count-${randomUUID()}`;
    for (const chunk of appendChunks(Array.from({ length: ESDB_COUNT_CAP + 500 }, () => newEvent('Lag')), 2_000, store.maxAppendBytes)) {
      await store.append(streamId, chunk, 'any');
    }
    let calls = watchReadAll(store);
    assert.equal(await store.countAfter(start), ESDB_COUNT_CAP);
    assert.equal(calls.length, 1);
    assert.ok((calls[0].maxCount ?? Infinity) <= ESDB_COUNT_CAP + 1);
    const last = await store.headPosition();
    calls = watchReadAll(store);
    assert.equal(await store.countAfter(last), 0);
    assert.equal(calls.length, 1);
  });

  test('undecodable events from the server are delivered by position and throw UndecodableEventError when read', async () => {
    const streamId = `binary-${randomUUID()}`;
    const raw = EventStoreDBClient.connectionString(server.connectionString);
    try {
      await raw.appendToStream(streamId, [binaryEvent({ type: 'Blob', data: new Uint8Array([1, 2, 3]) })]);
    } finally {
      await raw.dispose();
    }
    const [event] = await store.readStream(streamId);
    assert.equal(event.type, 'Blob');
    assert.throws(() => event.data, UndecodableEventError);
  });
});

describe('EsdbEventStore and the size of an append', () => {
  test('the server\'s MaximumAppendSizeExceeded (configured below maxAppendBytes) becomes AppendTooLargeError', async () => {
    const server = await startKurrentDbDouble({ maxAppendSize: 2_000 });
    const store = new EsdbEventStore(server.connectionString);
    try {
      const events = Array.from({ length: 20 }, (_, i) => newEvent('Big', { i, text: 'x'.repeat(200) }));
      const streamId = `big-${randomUUID()}`;
      await assert.rejects(store.append(streamId, events, 'no_stream'), (error: unknown) => {
        assert.ok(error instanceof AppendTooLargeError, String(error));
        assert.equal(error.maxBytes, 2_000);
        assert.equal(error.size, appendSize(events));
        return true;
      });
      assert.equal(await store.streamRevision(streamId), null);
    } finally {
      await store.close();
      await server.close();
    }
  });

  test('the API answers an AppendTooLargeError with PAYLOAD_TOO_LARGE (413), not an internal error', () => {
    const error = toApiError(new AppendTooLargeError('pop-x', 2_000_000, 1_048_576));
    assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(error.httpStatus, 413);
    assert.match(error.message, /pop-x.*2000000.*1048576/);
  });

  test('the seed cuts a stream into appends under the store\'s maximum, in order', () => {
    const events = Array.from({ length: 500 }, (_, i) => newEvent('Seeded', { i, text: 'y'.repeat(i % 50) }));
    const chunks = [...appendChunks(events, 2_000, 10_000)];
    assert.ok(chunks.length > 1);
    for (const chunk of chunks) assert.ok(appendSize(chunk) <= 10_000, String(appendSize(chunk)));
    assert.deepEqual(chunks.flat(), events);
    assert.deepEqual([...appendChunks(events, 2_000)].map((chunk) => chunk.length), [500]);
    assert.deepEqual([...appendChunks(events, 200)].map((chunk) => chunk.length), [200, 200, 100]);
  });
});

/** A server that accepts calls and never answers them (a stalled node). */
async function stalledServer(): Promise<{ connectionString: string; close(): void }> {
  const server = new Server();
  const never = () => undefined;
  server.addService(StreamsService, { read: never, append: never, batchAppend: never } as UntypedServiceImplementation);
  server.addService(ServerFeaturesService, { getSupportedMethods: handleGetSupportedMethods });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { connectionString: `esdb://127.0.0.1:${port}?tls=false`, close: () => server.forceShutdown() };
}

describe('EsdbEventStore against a stalled server', () => {
  for (const [what, call] of [
    ['readStream', (store: EsdbEventStore) => store.readStream('s')],
    ['streamRevision', (store: EsdbEventStore) => store.streamRevision('s')],
    ['readAll', (store: EsdbEventStore) => store.readAll(null, 10)],
    ['headPosition', (store: EsdbEventStore) => store.headPosition()],
    ['countAfter', (store: EsdbEventStore) => store.countAfter(null)],
    ['append (batch append)', (store: EsdbEventStore) => store.append('s', [newEvent()], 'any')],
  ] as const) {
    test(`${what} fails with EventStoreDeadlineError after its deadline instead of hanging`, { timeout: 20_000 }, async () => {
      const server = await stalledServer();
      const store = new EsdbEventStore(server.connectionString, { deadlineMs: 300 });
      try {
        const started = Date.now();
        await assert.rejects(call(store), EventStoreDeadlineError);
        assert.ok(Date.now() - started < 5_000);
      } finally {
        await store.close();
        server.close();
      }
    });
  }

  test('the connection string\'s defaultDeadline is the deadline of reads too', { timeout: 20_000 }, async () => {
    const server = await stalledServer();
    const store = new EsdbEventStore(`${server.connectionString}&defaultDeadline=300`);
    try {
      const started = Date.now();
      await assert.rejects(store.readStream('s'), /within 300 ms/);
      assert.ok(Date.now() - started < 5_000);
    } finally {
      await store.close();
      server.close();
    }
  });
});
