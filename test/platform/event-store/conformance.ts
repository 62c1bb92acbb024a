import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AppendTooLargeError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
  appendSize,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '../../../src/platform/event-store/event-store.port';

export interface EventStoreUnderTest {
  store: EventStore;
  dispose(): Promise<void>;
}

/** Guards against hangs only; nothing asserts on time. */
const TIMEOUT = { timeout: 60_000 };
/**
 * How long a failed subscription is watched for deliveries it should not make: longer than an idle
 * subscription's re-poll (1 s in PostgresEventStore). Only lets the test catch a subscription that
 * goes on; a correct one passes however short it is.
 */
const AFTER_FAILURE_GRACE_MS = 1_500;

/**
 * The behaviour both adapters must share. One store serves the whole suite, as an EventStoreDB
 * server would be shared: every test uses fresh stream ids and reads the global log after a marker
 * event it appended first, so it sees exactly its own events (tests of a suite run one at a time).
 * A committed event may become visible in the log a little later (PostgreSQL holds it back while an
 * older transaction is running, anywhere on the server): tests wait for it through a subscription.
 */
export function eventStoreConformance(name: string, factory: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    before(async () => {
      subject = await factory();
      store = subject.store;
    });
    after(async () => {
      await subject.store.close();
      await subject.dispose();
    });

    test('appends and reads a stream in order, with revisions from 0 and the append position', TIMEOUT, async () => {
      const streamId = newStreamId();
      const events = [newEvent('RackInstalled', { rack: 'r1' }), newEvent('RackInstalled', { rack: 'r2' }), newEvent('PowerFeedAdded', { kw: 7.5 })];
      const result = await store.append(streamId, events, 'no_stream');
      assert.equal(result.revision, 2);
      const read = await store.readStream(streamId);
      assert.deepEqual(read.map(stripStoreFields), events);
      assert.deepEqual(read.map((e) => [e.streamId, e.revision]), [[streamId, 0], [streamId, 1], [streamId, 2]]);
      assertIncreasing(read.map((e) => e.position));
      assert.equal(result.position, read[2].position);
      for (const event of read) assert.equal(new Date(event.recordedAt).toISOString(), event.recordedAt);
      assert.equal(await store.streamRevision(streamId), 2);
    });

    test('expected revision no_stream fails on an existing stream', TIMEOUT, async () => {
      const streamId = await streamWith(store, 2);
      await assertWrongRevision(store.append(streamId, [newEvent('X')], 'no_stream'), streamId, 'no_stream', 1);
    });

    test('expected revision exists fails on a missing stream and appends to an existing one', TIMEOUT, async () => {
      const streamId = newStreamId();
      await assertWrongRevision(store.append(streamId, [newEvent('X')], 'exists'), streamId, 'exists', 'no_stream');
      assert.equal(await store.streamRevision(streamId), null);
      await store.append(streamId, [newEvent('A')], 'no_stream');
      assert.equal((await store.append(streamId, [newEvent('B'), newEvent('C')], 'exists')).revision, 2);
    });

    test('a numeric expected revision must equal the last revision', TIMEOUT, async () => {
      const streamId = await streamWith(store, 2);
      await assertWrongRevision(store.append(streamId, [newEvent('X')], 0), streamId, 0, 1);
      await assertWrongRevision(store.append(streamId, [newEvent('X')], 5), streamId, 5, 1);
      await assertWrongRevision(store.append(newStreamId(), [newEvent('X')], 0), undefined, 0, 'no_stream');
      assert.equal((await store.append(streamId, [newEvent('Y')], 1)).revision, 2);
      assert.deepEqual((await store.readStream(streamId)).map((e) => e.type), ['E0', 'E1', 'Y']);
    });

    test('expected revision any creates a stream or appends to it', TIMEOUT, async () => {
      const streamId = newStreamId();
      assert.equal((await store.append(streamId, [newEvent('A'), newEvent('B')], 'any')).revision, 1);
      assert.equal((await store.append(streamId, [newEvent('C')], 'any')).revision, 2);
      assert.deepEqual((await store.readStream(streamId)).map((e) => e.type), ['A', 'B', 'C']);
    });

    test('a rejected append writes nothing', TIMEOUT, async () => {
      const streamId = await streamWith(store, 1);
      const start = await mark(store);
      await assertWrongRevision(store.append(streamId, [newEvent('X'), newEvent('Y')], 3), streamId, 3, 0);
      assert.equal(await store.streamRevision(streamId), 0);
      assert.equal((await store.readStream(streamId)).length, 1);
      // Nothing reached the log between two markers.
      const end = newEvent('Marker');
      await store.append(newStreamId(), [end], 'no_stream');
      assert.deepEqual((await logAfter(store, start, 1)).map((e) => e.eventId), [end.eventId]);
    });

    test('20 concurrent appends with the same expected revision: exactly one wins', TIMEOUT, async () => {
      const streamId = await streamWith(store, 1);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(streamId, [newEvent(`Concurrent${i}`)], 0)),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 19);
      for (const { reason } of lost) {
        assert.ok(reason instanceof WrongExpectedRevisionError, String(reason));
        assert.equal(reason.actual, 1);
      }
      assert.equal((await store.readStream(streamId)).length, 2);
    });

    test('20 concurrent creations of one stream with no_stream: exactly one wins', TIMEOUT, async () => {
      const streamId = newStreamId();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(streamId, [newEvent(`Create${i}`)], 'no_stream')),
      );
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof WrongExpectedRevisionError, String(outcome.reason));
      }
      assert.equal((await store.readStream(streamId)).length, 1);
    });

    test('the global log is total and stable across streams', TIMEOUT, async () => {
      const start = await mark(store);
      const streams = [newStreamId(), newStreamId(), newStreamId()];
      const batches = Array.from({ length: 30 }, (_, i) => [newEvent(`G${i}`), newEvent(`G${i}b`)]);
      const appended = await Promise.all(batches.map((events, i) => store.append(streams[i % 3], events, 'any')));
      await logAfter(store, start, 60);
      const first = await readAllFrom(store, start, 1000);
      const second = await readAllFrom(store, start, 1000);
      assert.equal(first.length, 60);
      assert.deepEqual(second, first);
      assertIncreasing(first.map((e) => e.position));
      assert.deepEqual(sorted(first.map((e) => e.eventId)), sorted(batches.flat().map((e) => e.eventId)));
      // Paging through the log in small batches gives the same sequence.
      assert.deepEqual(await readAllFrom(store, start, 7), first);
      // Per stream, the log keeps stream order.
      for (const streamId of streams) {
        const revisions = first.filter((e) => e.streamId === streamId).map((e) => e.revision);
        assert.deepEqual(revisions, Array.from({ length: 20 }, (_, i) => i));
      }
      // Every append's position is its last event's position in the log.
      const positions = new Set(first.map((e) => e.position));
      for (const result of appended) assert.ok(positions.has(result.position), result.position);
    });

    test('readAll returns the input checkpoint when nothing follows', TIMEOUT, async () => {
      const start = await mark(store);
      assert.deepEqual(await store.readAll(start, 10), { events: [], checkpoint: start });
    });

    test('headPosition and countAfter follow the log', TIMEOUT, async () => {
      const start = await mark(store);
      const streamId = newStreamId();
      await store.append(streamId, [newEvent('A'), newEvent('B')], 'no_stream');
      const last = await store.append(streamId, [newEvent('C'), newEvent('D'), newEvent('E')], 1);
      const events = await logAfter(store, start, 5);
      assert.equal(await store.headPosition(), last.position);
      assert.equal(await store.countAfter(start), 5);
      assert.equal(await store.countAfter(last.position), 0);
      assert.equal(await store.countAfter(events[1].position), 3);
      assert.ok((await store.countAfter(null)) >= 6);
    });

    test('readStream honours fromRevision and maxCount', TIMEOUT, async () => {
      const streamId = await streamWith(store, 10);
      const revisions = async (options: { fromRevision?: number; maxCount?: number }) =>
        (await store.readStream(streamId, options)).map((e) => e.revision);
      assert.deepEqual(await revisions({ fromRevision: 3, maxCount: 4 }), [3, 4, 5, 6]);
      assert.deepEqual(await revisions({ fromRevision: 8 }), [8, 9]);
      assert.deepEqual(await revisions({ maxCount: 2 }), [0, 1]);
      assert.deepEqual(await revisions({ fromRevision: 10 }), []);
    });

    test('a missing stream: readStream throws StreamNotFoundError, streamRevision is null', TIMEOUT, async () => {
      const streamId = newStreamId();
      await assert.rejects(store.readStream(streamId), (error: unknown) => {
        assert.ok(error instanceof StreamNotFoundError);
        assert.equal(error.streamId, streamId);
        return true;
      });
      assert.equal(await store.streamRevision(streamId), null);
    });

    test('a large append: 10,000 events, or as many as fill the store\'s maximum append exactly', TIMEOUT, async () => {
      const streamId = newStreamId();
      const start = await mark(store);
      let events = Array.from({ length: 10_000 }, (_, i) => newEvent('Bulk', { i }));
      const limit = store.maxAppendBytes;
      if (limit !== undefined && appendSize(events) > limit) events = fillTo(limit, (i) => newEvent('Bulk', { i }));
      const result = await store.append(streamId, events, 'no_stream');
      assert.equal(result.revision, events.length - 1);
      const read = await store.readStream(streamId);
      assert.deepEqual(read.map(stripStoreFields), events);
      await logAfter(store, start, events.length);
      const log = await readAllFrom(store, start, 2_500);
      assert.deepEqual(log.map((e) => e.eventId), events.map((e) => e.eventId));
      assertIncreasing(log.map((e) => e.position));
      assert.equal(log[log.length - 1].position, result.position);
    });

    test('unicode and large payloads (~1.75 MB, or up to the store\'s maximum append) round-trip exactly', TIMEOUT, async () => {
      const streamId = newStreamId();
      const start = await mark(store);
      const text = 'PoP 🚀🇩🇪 – مرحبا بالعالم – שלום – 東京 – e\u0301 – \u200f\u202e – "quotes" \\ back\\slash \n\t';
      const unicode = newEvent('Unicode', { text, [text]: [text, { nested: text }] }, { actor: text });
      const bigEvent = (big: string) => ({ ...newEvent('Big', { big, n: 1 }), eventId: bigId });
      const bigId = randomUUID();
      let big = 'x🙂'.repeat(350_000); // ~1.75 MB of UTF-8, ~1 M UTF-16 units
      const limit = store.maxAppendBytes;
      if (limit !== undefined && appendSize([unicode, bigEvent(big)]) > limit) {
        // 'x🙂' is 5 bytes of UTF-8 (JSON escapes neither): fill the append to exactly the maximum.
        const room = limit - appendSize([unicode, bigEvent('')]);
        big = 'x🙂'.repeat(Math.floor(room / 5)) + 'x'.repeat(room % 5);
      }
      const events = [unicode, bigEvent(big)];
      if (limit !== undefined) assert.ok(appendSize(events) <= limit);
      await store.append(streamId, events, 'no_stream');
      assert.deepEqual((await store.readStream(streamId)).map(stripStoreFields), events);
      assert.deepEqual((await logAfter(store, start, 2)).map(stripStoreFields), events);
      assert.deepEqual((await readAllFrom(store, start, 10)).map(stripStoreFields), events);
    });

    test('an append larger than the store\'s maximum is refused whole with AppendTooLargeError', TIMEOUT, async (t) => {
      const limit = store.maxAppendBytes;
      if (limit === undefined) {
        t.skip(`${name} has no maximum append of its own`);
        return;
      }
      const streamId = newStreamId();
      const start = await mark(store);
      const events = [...fillTo(limit, (i) => newEvent('TooMuch', { i })), newEvent('OneMore')];
      await assert.rejects(store.append(streamId, events, 'no_stream'), (error: unknown) => {
        assert.ok(error instanceof AppendTooLargeError, String(error));
        assert.equal(error.streamId, streamId);
        assert.equal(error.size, appendSize(events));
        assert.equal(error.maxBytes, limit);
        return true;
      });
      assert.equal(await store.streamRevision(streamId), null);
      // Nothing reached the log between two markers; one event over the limit by a byte is refused too.
      const oneByteOver = fillTo(limit + 1, (i) => newEvent('TooMuch', { i }));
      await assert.rejects(store.append(streamId, oneByteOver, 'no_stream'), AppendTooLargeError);
      const end = newEvent('Marker');
      await store.append(newStreamId(), [end], 'no_stream');
      assert.deepEqual((await logAfter(store, start, 1)).map((e) => e.eventId), [end.eventId]);
    });

    test('an expected revision that is no safe integer >= 0 is refused and writes nothing', TIMEOUT, async () => {
      const streamId = await streamWith(store, 2);
      for (const expected of [1.5, -1, Number.NaN, 2 ** 53]) {
        await assert.rejects(store.append(streamId, [newEvent('X')], expected), /Invalid expected revision/);
      }
      assert.equal(await store.streamRevision(streamId), 1);
    });

    test('metadata round-trips exactly, extra fields included', TIMEOUT, async () => {
      const streamId = newStreamId();
      const metadata = {
        ...baseMetadata(),
        actor: 'planner-eu',
        source: 'procurement' as const,
        schemaVersion: 3,
        effectiveAt: '2031-03-01T00:00:00.000Z',
        extra: { nested: [1, 2.5, -3e-7, true, false, null, 'x'], empty: {}, list: [] },
        flag: false,
      };
      const event: NewEvent = { eventId: randomUUID(), type: 'WithMetadata', data: {}, metadata };
      await store.append(streamId, [event], 'no_stream');
      const [read] = await store.readStream(streamId);
      assert.deepEqual(read.metadata, metadata);
      assert.deepEqual(read.data, {});
    });

    test('a subscription from a checkpoint sees every event exactly once, also those appended while stopped', TIMEOUT, async () => {
      const start = await mark(store);
      const streamId = newStreamId();
      await store.append(streamId, [newEvent('Before1'), newEvent('Before2')], 'no_stream');

      const first = collect(store, start, 1);
      await first.until((events) => events.length >= 2);
      await first.caughtUpOnce;
      await store.append(streamId, [newEvent('Live1')], 'exists');
      await first.until((events) => events.length >= 3);
      await first.subscription.stop();

      await store.append(streamId, [newEvent('WhileStopped1')], 'exists');
      await store.append(newStreamId(), [newEvent('WhileStopped2')], 'no_stream');
      const checkpoint = first.events[first.events.length - 1].position;
      const second = collect(store, checkpoint, 500);
      await second.until((events) => events.length >= 2);
      await second.caughtUpOnce;
      await store.append(streamId, [newEvent('Live2')], 'exists');
      await second.until((events) => events.length >= 3);
      await second.subscription.stop();

      const seen = [...first.events, ...second.events];
      assert.deepEqual(seen.map((e) => e.type), ['Before1', 'Before2', 'Live1', 'WhileStopped1', 'WhileStopped2', 'Live2']);
      assert.deepEqual(seen, await readAllFrom(store, start, 100));
      assert.equal(first.caughtUp, 1);
      assert.equal(second.caughtUp, 1);
    });

    test('a live subscription wakes up on append', TIMEOUT, async () => {
      const start = await mark(store);
      const live = collect(store, start, 500);
      await live.caughtUpOnce;
      assert.equal(live.events.length, 0);
      const event = newEvent('WakeUp');
      await store.append(newStreamId(), [event], 'no_stream');
      await live.until((events) => events.length >= 1);
      await live.subscription.stop();
      assert.deepEqual(live.events.map((e) => e.eventId), [event.eventId]);
    });

    test('catch-up delivers batches of at most batchSize, then calls onCaughtUp once', TIMEOUT, async () => {
      const start = await mark(store);
      await store.append(newStreamId(), Array.from({ length: 25 }, (_, i) => newEvent('Batch', { i })), 'no_stream');
      await logAfter(store, start, 25);
      const subscriber = collect(store, start, 10);
      await subscriber.caughtUpOnce;
      await subscriber.subscription.stop();
      assert.equal(subscriber.events.length, 25);
      assert.ok(subscriber.batchSizes.every((size) => size > 0 && size <= 10), String(subscriber.batchSizes));
      assert.equal(subscriber.caughtUp, 1);
    });

    test('a failing handler: onError once with its error, and nothing delivered after it', TIMEOUT, async () => {
      const start = await mark(store);
      await store.append(newStreamId(), [newEvent('Boom')], 'no_stream');
      const failure = new Error('handler failed');
      let calls = 0;
      const deliveredAfterFailure: string[] = [];
      const errors: Error[] = [];
      let reported!: () => void;
      const onError = new Promise<void>((resolve) => (reported = resolve));
      const subscription = store.subscribe(start, {
        // Fails once; a subscription that went on (retrying the batch, or skipping it) would deliver here.
        onEvents: async (events) => {
          calls++;
          if (calls === 1) throw failure;
          deliveredAfterFailure.push(...events.map((e) => e.type));
        },
        onError: (error) => {
          errors.push(error);
          reported();
        },
      });
      await onError;
      await store.append(newStreamId(), [newEvent('After')], 'no_stream');
      // Once another subscription has the new event, and one idle re-poll later, a live subscription would have delivered it too.
      const witness = collect(store, start, 1_000);
      try {
        await witness.until((events) => events.some((e) => e.type === 'After'));
        await new Promise((resolve) => setTimeout(resolve, AFTER_FAILURE_GRACE_MS));
      } finally {
        await witness.subscription.stop();
      }
      await subscription.stop();
      assert.deepEqual(deliveredAfterFailure, []);
      assert.equal(calls, 1);
      assert.deepEqual(errors, [failure]);
    });
  });
}

function newStreamId(): string {
  return `conformance-${randomUUID()}`;
}

function baseMetadata(): EventMetadata {
  return {
    effectiveAt: '2030-01-01T00:00:00.000Z',
    actor: 'tester',
    source: 'cli',
    commandId: randomUUID(),
    correlationId: randomUUID(),
    schemaVersion: 1,
  };
}

function newEvent(type: string, data: Record<string, unknown> = {}, metadata: Partial<EventMetadata> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: { ...baseMetadata(), ...metadata } };
}

async function streamWith(store: EventStore, count: number): Promise<string> {
  const streamId = newStreamId();
  await store.append(streamId, Array.from({ length: count }, (_, i) => newEvent(`E${i}`)), 'no_stream');
  return streamId;
}

/**
 * Events from `make(0)`, `make(1)`, … whose appendSize is exactly `bytes`: as many as fit, the last
 * one padded with a `pad` string to make up the rest.
 */
function fillTo(bytes: number, make: (i: number) => NewEvent): NewEvent[] {
  const events: NewEvent[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const next = make(i);
    const nextSize = appendSize([next]);
    // Keep room to pad the last event: `,"pad":""` is 9 bytes before any padding.
    if (events.length > 0 && size + nextSize > bytes - 9) break;
    events.push(next);
    size += nextSize;
  }
  const last = events[events.length - 1];
  const room = bytes - size - 9;
  assert.ok(room >= 0, `no room to pad: ${bytes} bytes`);
  events[events.length - 1] = { ...last, data: { ...last.data, pad: 'p'.repeat(room) } };
  assert.equal(appendSize(events), bytes);
  return events;
}

function stripStoreFields({ eventId, type, data, metadata }: RecordedEvent): NewEvent {
  return { eventId, type, data, metadata };
}

async function assertWrongRevision(
  append: Promise<unknown>,
  streamId: string | undefined,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  await assert.rejects(append, (error: unknown) => {
    assert.ok(error instanceof WrongExpectedRevisionError, String(error));
    if (streamId !== undefined) assert.equal(error.streamId, streamId);
    assert.equal(error.expected, expected);
    assert.equal(error.actual, actual);
    return true;
  });
}

function assertIncreasing(positions: string[]): void {
  for (let i = 1; i < positions.length; i++) {
    assert.ok(positions[i - 1] < positions[i], `position ${i}: ${positions[i - 1]} !< ${positions[i]}`);
  }
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

/** Appends a marker event to a fresh stream: the log after its position holds only later appends. */
async function mark(store: EventStore): Promise<string> {
  return (await store.append(newStreamId(), [newEvent('Marker')], 'no_stream')).position;
}

/** The first `count` events of the log after `checkpoint`, once visible (waits through a subscription). */
async function logAfter(store: EventStore, checkpoint: string, count: number): Promise<RecordedEvent[]> {
  const collector = collect(store, checkpoint, 1_000);
  try {
    await collector.until((events) => events.length >= count);
  } finally {
    await collector.subscription.stop();
  }
  return collector.events.slice(0, count);
}

async function readAllFrom(store: EventStore, checkpoint: string | null, batch: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll(checkpoint, batch);
    assert.ok(page.events.length <= batch);
    events.push(...page.events);
    if (page.events.length === 0) return events;
    checkpoint = page.checkpoint;
  }
}

/** Records what a subscription delivers; tests wait on its promises, never on time. */
class Collector {
  readonly events: RecordedEvent[] = [];
  readonly batchSizes: number[] = [];
  caughtUp = 0;
  readonly caughtUpOnce: Promise<void>;
  readonly subscription: Subscription;
  private readonly waiters: Array<{ done: (events: RecordedEvent[]) => boolean; resolve: () => void; reject: (error: Error) => void }> = [];
  private failure?: Error;

  constructor(store: EventStore, checkpoint: string | null, batchSize: number) {
    let markCaughtUp!: () => void;
    this.caughtUpOnce = new Promise((resolve) => (markCaughtUp = resolve));
    this.subscription = store.subscribe(
      checkpoint,
      {
        onEvents: async (events) => {
          this.events.push(...events);
          this.batchSizes.push(events.length);
          this.settle();
        },
        onCaughtUp: () => {
          this.caughtUp++;
          markCaughtUp();
        },
        onError: (error) => {
          this.failure = error;
          this.settle();
        },
      },
      { batchSize },
    );
  }

  /** Resolves once the received events satisfy `done`; rejects on a subscription error. */
  until(done: (events: RecordedEvent[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ done, resolve, reject });
      this.settle();
    });
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (this.failure) waiter.reject(this.failure);
      else if (waiter.done(this.events)) waiter.resolve();
      else continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
    }
  }
}

function collect(store: EventStore, checkpoint: string | null, batchSize: number): Collector {
  return new Collector(store, checkpoint, batchSize);
}
