import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createSqlClient } from '../../../src/platform/database/sql-client.factory';
import { runMigrations } from '../../../src/platform/database/migrations.runner';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import { WrongExpectedRevisionError, type NewEvent, type RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { postgresEventStoreMigrations } from '../../../src/platform/event-store/postgres-event-store.migrations';
import { testDatabases, type TestDatabaseFactory } from '../../support/test-databases';
import { eventStoreConformance } from './conformance';

const TIMEOUT = { timeout: 60_000 };
/** Every event-store migration, each applied once. */
const EVENT_STORE_MIGRATION_IDS = postgresEventStoreMigrations.map(({ id }) => id).sort();
/**
 * An idle subscriber never re-polls on its own here: only a notification wakes it. (Re-checks while
 * events are held back by an older running transaction stay quick: that one may never notify.)
 */
const NOTIFY_ONLY = { idleRecheckMs: 3_600_000, heldBackRecheckMs: 2, heldBackRecheckMaxMs: 200 };

for (const database of testDatabases()) {
  eventStoreConformance(`PostgresEventStore on ${database.name}`, async () => {
    const { sql, dispose } = await database.create();
    return { store: new PostgresEventStore(sql), dispose };
  });

  describe(`PostgresEventStore on ${database.name}`, () => {
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    before(async () => ({ sql, dispose } = await database.create()));
    after(() => dispose());

    test('migrations run twice are applied once', TIMEOUT, async () => {
      await runMigrations(sql, postgresEventStoreMigrations);
      await runMigrations(sql, postgresEventStoreMigrations);
      const { rows } = await sql.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      assert.deepEqual(rows.map((row) => row.id), EVENT_STORE_MIGRATION_IDS);
    });

    test('a live subscriber is woken by an append of another store instance, without polling', TIMEOUT, async () => {
      const writer = new PostgresEventStore(sql);
      await wokenWithoutPolling(writer, new PostgresEventStore(sql, NOTIFY_ONLY));
    });

    test('concurrent appends share commits; a stale expected revision fails only its own append', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      const streams = Array.from({ length: 5 }, () => `group-${randomUUID()}`);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.append(streams[i % 5], [newEvent(`E${i}`)], i === 7 ? 5 : 'any')),
      );
      assert.deepEqual(outcomes.map((outcome) => outcome.status === 'rejected'), outcomes.map((_, i) => i === 7));
      assert.ok((outcomes[7] as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError);
      const transactions = new Set(outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.position.slice(0, 20)] : [])));
      // Appends submitted in the same turn of the event loop are gathered into one statement and one commit.
      assert.equal(transactions.size, 1);
      for (const [k, streamId] of streams.entries()) {
        const types = (await store.readStream(streamId)).map((event) => event.type);
        assert.deepEqual(types, Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 5 === k && i !== 7).map((i) => `E${i}`));
      }
    });

    test('an append the database refuses fails alone: the appends sent with it are retried one by one', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      const taken = newEvent('Taken');
      await store.append(`taken-${randomUUID()}`, [taken], 'no_stream');
      const streams = Array.from({ length: 10 }, () => `refused-${randomUUID()}`);
      const outcomes = await Promise.allSettled(
        streams.map((streamId, i) => store.append(streamId, [i === 6 ? { ...newEvent('Reused'), eventId: taken.eventId } : newEvent(`E${i}`)], 'no_stream')),
      );
      assert.deepEqual(outcomes.map((outcome) => outcome.status), streams.map((_, i) => (i === 6 ? 'rejected' : 'fulfilled')));
      assert.match(String((outcomes[6] as PromiseRejectedResult).reason), /duplicate key/);
      for (const [i, streamId] of streams.entries()) {
        if (i === 6) assert.equal(await store.streamRevision(streamId), null);
        else assert.deepEqual((await store.readStream(streamId)).map((event) => event.type), [`E${i}`]);
      }
    });

    test('appendMany writes its appends in order, consecutive in the log, in one transaction', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      const [a, b] = [`many-a-${randomUUID()}`, `many-b-${randomUUID()}`];
      await store.append(a, [newEvent('A0')], 'no_stream');
      const head = await store.headPosition();
      const results = await store.appendMany([
        { streamId: a, events: [newEvent('A1'), newEvent('A2')], expectedRevision: 0 },
        { streamId: b, events: [newEvent('B0')], expectedRevision: 'no_stream' },
        { streamId: a, events: [newEvent('A3')], expectedRevision: 2 },
        { streamId: b, events: [newEvent('B1')], expectedRevision: 0 },
      ]);
      assert.deepEqual(results.map((result) => result.revision), [2, 0, 3, 1]);
      const { events } = await store.readAll(head, 100);
      assert.deepEqual(events.map((event) => `${event.type}@${event.revision}`), ['A1@1', 'A2@2', 'B0@0', 'A3@3', 'B1@1']);
      assert.equal(new Set(events.map((event) => event.position.slice(0, 20))).size, 1, 'one transaction');
      assert.deepEqual(results.map((result) => result.position), [events[1], events[2], events[3], events[4]].map((event) => event.position));
      assert.equal(await store.streamRevision(a), 3);
      assert.equal(await store.streamRevision(b), 1);
    });

    test('appendMany of many events (COPY on a server) gives each append the position of its last event, and keeps the data as sent', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      // 300 appends of one to three events over 40 streams: more rows than a server writes by INSERT.
      const streams = Array.from({ length: 40 }, () => `copy-${randomUUID()}`);
      const revisions = new Map<string, number>();
      const appends = Array.from({ length: 300 }, (_, i) => {
        const streamId = streams[(i * 7) % streams.length];
        const before = revisions.get(streamId) ?? -1;
        const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ ...newEvent(`E${i}.${k}`), data: { text: 'tab\there, "quoted", back\\slash, line\nbreak', i, k } }));
        revisions.set(streamId, before + events.length);
        return { before, append: { streamId, events, expectedRevision: before < 0 ? ('no_stream' as const) : before } };
      });
      const results = await store.appendMany(appends.map(({ append }) => append));
      // Read by stream: readAll may hold the events back behind other work on a shared server.
      const stored = new Map((await Promise.all(streams.map((streamId) => store.readStream(streamId)))).flat().map((event) => [`${event.streamId}@${event.revision}`, event]));
      const inOrder = appends.flatMap(({ before, append }) => append.events.map((event, k) => ({ sent: event, at: stored.get(`${append.streamId}@${before + 1 + k}`) })));
      assert.deepEqual(inOrder.map(({ at }) => [at?.eventId, at?.type, at?.data]), inOrder.map(({ sent }) => [sent.eventId, sent.type, sent.data]));
      const positions = inOrder.map(({ at }) => at?.position as string);
      assert.deepEqual(positions, [...positions].sort(), 'in the log in the order sent');
      assert.deepEqual(results.map((result) => result.revision), appends.map(({ before, append }) => before + append.events.length));
      assert.deepEqual(results.map((result) => result.position), results.map((result, i) => stored.get(`${appends[i].append.streamId}@${result.revision}`)?.position));
    });

    test('appendMany is all or nothing: a wrong expected revision anywhere writes none of it', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      const [a, b, c] = [`all-a-${randomUUID()}`, `all-b-${randomUUID()}`, `all-c-${randomUUID()}`];
      await store.append(b, [newEvent('B0')], 'no_stream');
      const refusals = [
        // against the database: b exists
        [{ streamId: a, events: [newEvent('A0')], expectedRevision: 'no_stream' }, { streamId: b, events: [newEvent('B1')], expectedRevision: 'no_stream' }],
        // within the group: a's second append does not continue where its first left it
        [{ streamId: a, events: [newEvent('A0')], expectedRevision: 'no_stream' }, { streamId: a, events: [newEvent('A1')], expectedRevision: 5 }],
        // through es_append_all (an `exists` among them)
        [{ streamId: a, events: [newEvent('A0')], expectedRevision: 'no_stream' }, { streamId: c, events: [newEvent('C0')], expectedRevision: 'exists' }],
      ] as const;
      for (const appends of refusals) {
        await assert.rejects(store.appendMany(appends.map((append) => ({ ...append, events: [...append.events] }))), (error: unknown) => {
          assert.ok(error instanceof WrongExpectedRevisionError);
          return true;
        });
        assert.equal(await store.streamRevision(a), null);
        assert.equal(await store.streamRevision(b), 0);
        assert.equal(await store.streamRevision(c), null);
      }
      const duplicate = newEvent('D');
      await assert.rejects(store.appendMany([
        { streamId: a, events: [duplicate], expectedRevision: 'no_stream' },
        { streamId: c, events: [{ ...newEvent('D'), eventId: duplicate.eventId }], expectedRevision: 'no_stream' },
      ]), /duplicate key/);
      assert.equal(await store.streamRevision(a), null);
    });

    test('the position is <transaction id>:<global position>, 20 digits each', TIMEOUT, async () => {
      const store = new PostgresEventStore(sql);
      const streamId = `pos-${randomUUID()}`;
      const { position } = await store.append(streamId, [newEvent('A')], 'no_stream');
      assert.match(position, /^\d{20}:\d{20}$/);
      const { rows } = await sql.query<{ transaction_id: string; global_position: string }>(
        'SELECT transaction_id::text, global_position::text FROM es_events WHERE stream_id = $1',
        [streamId],
      );
      assert.equal(position, `${rows[0].transaction_id.padStart(20, '0')}:${rows[0].global_position.padStart(20, '0')}`);
      assert.throws(() => store.subscribe('42', { onEvents: async () => undefined }), /Not a PostgresEventStore position/);
    });
  });
}

const postgres = testDatabases().find((database) => database.name === 'postgres');

describe('PostgresEventStore on a PostgreSQL server', () => {
  test(
    'a slow transaction that committed last is neither skipped nor overtaken',
    { ...TIMEOUT, skip: postgres ? false : 'needs DATABASE_URL' },
    async () => {
      await withDatabase(postgres, async (sql) => {
        const store = new PostgresEventStore(sql, NOTIFY_ONLY);
        const head = (await store.append('warm-up', [newEvent('WarmUp')], 'no_stream')).position;
        const slowEvent = newEvent('Slow');
        const fastEvent = newEvent('Fast');

        const xidTaken = deferred<void>();
        const release = deferred<void>();
        const fastCommitted = deferred<void>();
        // The slow transaction takes its transaction id first, but its event's sequence number last.
        const slow = sql.transaction(async (tx) => {
          await tx.query('SELECT pg_current_xact_id()');
          xidTaken.resolve();
          await fastCommitted.promise;
          await tx.query('SELECT * FROM es_append($1, $2, $3)', ['slow', 'no_stream', JSON.stringify([toRow(slowEvent)])]);
          await release.promise;
        });
        await xidTaken.promise;
        const fast = await store.append('fast', [fastEvent], 'no_stream');
        fastCommitted.resolve();

        // The fast event is committed but must wait behind the open slow transaction.
        assert.deepEqual(await store.readAll(head, 10), { events: [], checkpoint: head });
        const visibleHead = await store.headPosition();
        assert.ok(visibleHead === null || visibleHead <= head, String(visibleHead));
        assert.equal(await store.countAfter(head), 0);
        const received: RecordedEvent[] = [];
        const both = deferred<void>();
        const caughtUp = deferred<void>();
        const subscription = store.subscribe(head, {
          onEvents: async (events) => {
            received.push(...events);
            if (received.length >= 2) both.resolve();
          },
          onCaughtUp: () => caughtUp.resolve(),
        });
        await caughtUp.promise;
        assert.equal(received.length, 0);

        release.resolve();
        await slow;
        await both.promise;
        await subscription.stop();
        assert.deepEqual(received.map((e) => e.eventId), [slowEvent.eventId, fastEvent.eventId]);
        assert.ok(received[0].position < received[1].position);
        assert.equal(received[1].position, fast.position);
        // (transaction id, sequence) order: the slow event has the lower transaction id but the higher sequence.
        const [slowTx, slowSeq] = received[0].position.split(':');
        const [fastTx, fastSeq] = received[1].position.split(':');
        assert.ok(slowTx < fastTx && slowSeq > fastSeq);
        assert.deepEqual((await store.readAll(head, 10)).events, received);
      });
    },
  );

  test('events held back by a transaction that never notifies are delivered once it ends, without an idle re-poll', { ...TIMEOUT, skip: postgres ? false : 'needs DATABASE_URL' }, async () => {
    await withDatabase(postgres, async (sql) => {
      const store = new PostgresEventStore(sql, NOTIFY_ONLY);
      const head = (await store.append('warm-up', [newEvent('WarmUp')], 'no_stream')).position;
      const caughtUp = deferred<void>();
      const received = deferred<RecordedEvent[]>();
      const subscription = store.subscribe(head, { onEvents: async (events) => received.resolve(events), onCaughtUp: () => caughtUp.resolve() });
      await caughtUp.promise;
      const xidTaken = deferred<void>();
      const release = deferred<void>();
      // Not an append: it takes a transaction id, holds the event below back, and ends without a notification.
      const blocker = sql.transaction(async (tx) => {
        await tx.query('SELECT pg_current_xact_id()');
        xidTaken.resolve();
        await release.promise;
      });
      await xidTaken.promise;
      const held = newEvent('Held');
      await store.append('held', [held], 'no_stream'); // its wake-up finds the event held back
      const early = await Promise.race([received.promise, new Promise((resolve) => setTimeout(() => resolve('nothing yet'), 100))]);
      release.resolve();
      await blocker;
      // Only the quick re-checks while something is held back can deliver it: the idle re-poll is an hour away.
      const events = await received.promise;
      await subscription.stop();
      assert.equal(early, 'nothing yet');
      assert.deepEqual(events.map((e) => e.eventId), [held.eventId]);
    });
  });

  test('a subscriber in another process (its own pool) is woken by NOTIFY alone', { ...TIMEOUT, skip: postgres ? false : 'needs DATABASE_URL' }, async () => {
    await withDatabase(postgres, async (sql) => {
      const schema = (await sql.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
      const other = await createSqlClient({ databaseUrl: process.env.DATABASE_URL, schema, poolSize: 2 });
      const writer = new PostgresEventStore(sql);
      try {
        await wokenWithoutPolling(writer, new PostgresEventStore(other, NOTIFY_ONLY));
      } finally {
        await writer.close();
        await other.close();
      }
    });
  });

  test('an append in the process whose subscription is live wakes it without a NOTIFY; one elsewhere notifies', { ...TIMEOUT, skip: postgres ? false : 'needs DATABASE_URL' }, async () => {
    await withDatabase(postgres, async (sql) => {
      const schema = (await sql.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
      const other = await createSqlClient({ databaseUrl: process.env.DATABASE_URL, schema, poolSize: 2 });
      const leader = new PostgresEventStore(sql, NOTIFY_ONLY);
      const follower = new PostgresEventStore(other);
      const channel = await leader.ready();
      const notified: string[] = [];
      const unlisten = await other.listen(channel, (payload) => notified.push(payload));
      const seen: string[] = [];
      let wake = () => undefined as void;
      const subscription = leader.subscribe(await leader.headPosition(), { onEvents: async (events) => {
        seen.push(...events.map((e) => e.type));
        wake();
      } });
      const until = (count: number) => new Promise<void>((resolve) => {
        wake = () => seen.length >= count && resolve();
        wake();
      });
      try {
        await leader.append(`here-${randomUUID()}`, [newEvent('Here')], 'no_stream');
        await until(1);
        // Notifications arrive in commit order: once the follower's is in, the leader's would have been too.
        await follower.append(`elsewhere-${randomUUID()}`, [newEvent('Elsewhere')], 'no_stream');
        await until(2);
        while (notified.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(seen, ['Here', 'Elsewhere']);
        assert.equal(notified.length, 1);
      } finally {
        await subscription.stop();
        await unlisten();
        await leader.close();
        await follower.close();
        await other.close();
      }
    });
  });

  test('migrations started by two processes at once are applied once', { ...TIMEOUT, skip: postgres ? false : 'needs DATABASE_URL' }, async () => {
    await withDatabase(postgres, async (sql) => {
      const schema = (await sql.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0].schema;
      const other = await createSqlClient({ databaseUrl: process.env.DATABASE_URL, schema, poolSize: 2 });
      try {
        await Promise.all([runMigrations(sql, postgresEventStoreMigrations), runMigrations(other, postgresEventStoreMigrations)]);
      } finally {
        await other.close();
      }
      const { rows } = await sql.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      assert.deepEqual(rows.map((row) => row.id), EVENT_STORE_MIGRATION_IDS);
    });
  });
});

/** `reader` subscribes and goes idle; one append by `writer` must reach it (it never re-polls when idle). */
async function wokenWithoutPolling(writer: PostgresEventStore, reader: PostgresEventStore): Promise<void> {
  const start = (await writer.append(`marker-${randomUUID()}`, [newEvent('Marker')], 'no_stream')).position;
  const received = deferred<RecordedEvent[]>();
  const caughtUp = deferred<void>();
  const subscription = reader.subscribe(start, { onEvents: async (events) => received.resolve(events), onCaughtUp: () => caughtUp.resolve() });
  await caughtUp.promise;
  const event = newEvent('Woken');
  await writer.append(`live-${randomUUID()}`, [event], 'no_stream');
  const events = await received.promise;
  await subscription.stop();
  assert.deepEqual(events.map((e) => e.eventId), [event.eventId]);
}

async function withDatabase(database: TestDatabaseFactory | undefined, run: (sql: SqlClient) => Promise<void>): Promise<void> {
  if (!database) throw new Error('no such test database');
  const { sql, dispose } = await database.create();
  try {
    await run(sql);
  } finally {
    await dispose();
  }
}

function newEvent(type: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: { type },
    metadata: { effectiveAt: '2030-01-01T00:00:00.000Z', actor: 't', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
  };
}

function toRow({ eventId, type, data, metadata }: NewEvent) {
  return { id: eventId, type, data, metadata };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
