import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EventStoreDBClient, binaryEvent } from '@eventstore/db-client';
import { Client } from 'pg';
import { EsdbEventStore } from '../../../src/platform/event-store/esdb-event-store.adapter';
import type { EventStore, NewEvent, RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { CopyFailedError, copyEventLog, TargetNotAPrefixError, TargetNotEmptyError } from '../../../src/tools/migrate/event-log-copy.util';
import { HeldBackError, readWholeLog } from '../../../src/tools/migrate/log-cursor.util';
import { NetworkGenerator } from '../../../src/tools/seed/network-generator.seed';
import { writeCommandShaped } from '../../support/command-shaped-log';
import { startKurrentDbDouble, type KurrentDbDouble } from '../../support/kurrentdb-double';
import { testDatabases } from '../../support/test-databases';

const TIMEOUT = { timeout: 240_000 };

interface OpenStore {
  store: EventStore;
  close(): Promise<void>;
}

/** A small network (6 PoPs, two years, workloads, policies, FX), command by command, streams interleaved. */
function network() {
  const generator = new NetworkGenerator({ pops: 6, years: 2, seed: 5, workloads: 6, endMs: Date.parse('2026-06-01T00:00:00.000Z'), provenance: { actor: 'seed', source: 'cli' } });
  return [generator.popStreams(), generator.referenceStreams(), generator.workloadStreams()];
}

/** The whole log through the port (to its settled end), as a copy must preserve it. */
async function logOf(store: EventStore): Promise<Array<Pick<RecordedEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata'>>> {
  const events = await readWholeLog(store, 1_000);
  return events.map(({ eventId, streamId, revision, type, data, metadata }) => ({ eventId, streamId, revision, type, data, metadata }));
}

function newEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { effectiveAt: '2030-01-01T00:00:00.000Z', actor: 't', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
  };
}

/** A store whose appends fail after `writes` successful writes: a copy interrupted there. */
function failingAfter(store: EventStore, writes: number): EventStore {
  let left = writes;
  const gate = () => {
    if (left-- <= 0) throw new Error('connection lost (test)');
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          gate();
          return target.append(...args);
        };
      }
      if (property === 'appendMany' && target.appendMany) {
        return async (...args: Parameters<NonNullable<EventStore['appendMany']>>) => {
          gate();
          return target.appendMany?.(...args);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const database of testDatabases()) {
  describe(`migrate: copying a log between PostgresEventStore on ${database.name} and the KurrentDB double`, () => {
    const closers: Array<() => Promise<void>> = [];
    const postgres = async (): Promise<OpenStore> => {
      const { sql, dispose } = await database.create();
      closers.push(dispose);
      return { store: new PostgresEventStore(sql), close: dispose };
    };
    const esdb = async (options: { maxAppendSize?: number } = {}): Promise<OpenStore & { double: KurrentDbDouble }> => {
      // $stats system events between the copied ones: a copy must leave them out.
      const double = await startKurrentDbDouble({ statsPeriodMs: 20, ...options });
      const store = new EsdbEventStore(double.connectionString, { maxAppendBytes: options.maxAppendSize });
      const close = async () => {
        await store.close();
        await double.close();
      };
      closers.push(close);
      return { store, double, close };
    };
    let original: OpenStore;
    let originalLog: Awaited<ReturnType<typeof logOf>>;
    before(async () => {
      original = await postgres();
      const written = await writeCommandShaped(original.store, network(), 50);
      originalLog = await logOf(original.store);
      assert.equal(originalLog.length, written.events);
      assert.ok(written.appends > 100, `a log of many small appends (${written.appends})`);
    });
    after(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    });

    test('PostgreSQL → EventStoreDB → PostgreSQL: every id, stream, revision, type, data and metadata, in log order', TIMEOUT, async () => {
      const middle = await esdb();
      const there = await copyEventLog(original.store, middle.store);
      assert.equal(there.matches, true);
      assert.deepEqual([there.copied, there.source.events, there.target.events, there.alreadyThere], [originalLog.length, originalLog.length, originalLog.length, 0]);
      assert.deepEqual(await logOf(middle.store), originalLog);

      const back = await postgres();
      const progress: number[] = [];
      const again = await copyEventLog(middle.store, back.store, { onProgress: ({ done }) => progress.push(done) });
      assert.equal(again.matches, true);
      assert.equal(again.target.sha256, there.source.sha256, 'the same checksum on all three stores');
      assert.equal(again.appends, there.appends);
      assert.ok(again.writes < there.writes / 10, `appends grouped where the target writes several at once (${again.appends} appends in ${again.writes} writes)`);
      assert.deepEqual(await logOf(back.store), originalLog);
      assert.equal(progress[progress.length - 1], originalLog.length);
    });

    test('a target that holds events is refused before anything is written', TIMEOUT, async () => {
      for (const target of [await postgres(), await esdb()]) {
        const own = newEvent('Own');
        await target.store.append('own-stream', [own], 'no_stream');
        await assert.rejects(copyEventLog(original.store, target.store), TargetNotEmptyError);
        assert.deepEqual((await logOf(target.store)).map((event) => event.eventId), [own.eventId]);
        await assert.rejects(copyEventLog(original.store, target.store, { resume: true }), (error: unknown) => {
          assert.ok(error instanceof TargetNotAPrefixError);
          assert.match(error.message, /event #1 of the target is .* own-stream@0/);
          return true;
        });
      }
    });

    test('an interrupted copy resumes after the last event the target holds, and ends identical', TIMEOUT, async () => {
      for (const target of [await postgres(), await esdb()]) {
        await assert.rejects(copyEventLog(original.store, failingAfter(target.store, 7), { readBatch: 40, maxGroupAppends: 10 }), (error: unknown) => {
          assert.ok(error instanceof CopyFailedError);
          assert.match(error.message, /connection lost \(test\).*run again with --resume/);
          return true;
        });
        const partial = (await logOf(target.store)).length;
        assert.ok(partial > 0 && partial < originalLog.length, `interrupted midway (${partial} of ${originalLog.length})`);
        await assert.rejects(copyEventLog(original.store, target.store), TargetNotEmptyError);
        const resumed = await copyEventLog(original.store, target.store, { resume: true, readBatch: 40 });
        assert.equal(resumed.matches, true);
        assert.deepEqual([resumed.alreadyThere, resumed.copied], [partial, originalLog.length - partial]);
        assert.deepEqual(await logOf(target.store), originalLog);
        // A finished copy resumed again copies nothing and still compares.
        const nothing = await copyEventLog(original.store, target.store, { resume: true });
        assert.deepEqual([nothing.matches, nothing.copied, nothing.alreadyThere], [true, 0, originalLog.length]);
      }
    });

    test('the read-back compares every event, also one written to the target by someone else after the last write', TIMEOUT, async () => {
      const target = await postgres();
      const intruders: string[] = [];
      // After each of the copy's writes (the last one too), another writer appends to a stream of its own.
      const intruded = new Proxy(target.store, {
        get(store, property, receiver) {
          if (property === 'appendMany' || property === 'append') {
            return async (...args: unknown[]) => {
              const result = (await (Reflect.get(store, property, receiver) as (...a: unknown[]) => Promise<unknown>).apply(store, args)) as unknown;
              const intruder = newEvent('Intruder');
              await store.append('intruder', [intruder], 'any');
              intruders.push(intruder.eventId);
              return result;
            };
          }
          const value = Reflect.get(store, property, receiver) as unknown;
          return typeof value === 'function' ? value.bind(store) : value;
        },
      });
      const report = await copyEventLog(original.store, intruded, { readBatch: 40, maxGroupAppends: 10 });
      assert.ok(report.writes > 3, `several writes (${report.writes})`);
      assert.equal(intruders.length, report.writes);
      assert.equal(report.matches, false);
      assert.equal(report.source.events, originalLog.length);
      assert.equal(report.target.events, originalLog.length + intruders.length, 'each intruder read back, the one after the last write too');
      assert.notEqual(report.target.sha256, report.source.sha256);
    });

    test("appends stay within the target's maximum append size; an event larger than it stops the copy by name", TIMEOUT, async () => {
      const source = await postgres();
      const padding = 'x'.repeat(700);
      const stream = Array.from({ length: 30 }, (_, i) => newEvent('Padded', { i, padding }));
      await source.store.append('padded', stream, 'no_stream');
      const small = await esdb({ maxAppendSize: 4_096 });
      const report = await copyEventLog(source.store, small.store);
      assert.equal(report.matches, true);
      assert.ok(report.appends >= 6, `30 events of ~1 KB in appends of at most 4 KiB (${report.appends})`);
      assert.deepEqual((await small.store.readStream('padded')).map((event) => event.revision), stream.map((_, i) => i));

      const huge = newEvent('Huge', { padding: 'y'.repeat(5_000) });
      await source.store.append('padded', [huge], 29);
      const tiny = await esdb({ maxAppendSize: 4_096 });
      await assert.rejects(copyEventLog(source.store, tiny.store), (error: unknown) => {
        assert.ok(error instanceof CopyFailedError);
        assert.match(error.message, new RegExp(`Event ${huge.eventId} \\(Huge, padded@30\\) alone is larger \\(\\d+ bytes\\) than the target takes in one append \\(4096 bytes`));
        return true;
      });
      assert.equal(await tiny.store.streamRevision('padded'), 29, 'everything before it was copied');
    });

    test(
      'events held back behind an older transaction on the server are waited for, never silently left out',
      { ...TIMEOUT, skip: database.name === 'postgres' ? false : 'PGlite runs one transaction at a time: nothing is held back' },
      async () => {
        const source = await postgres();
        await source.store.append('early', [newEvent('Early')], 'no_stream');
        // A transaction of another session, older than the next append: readers see nothing after it until it ends.
        const blocker = new Client({ connectionString: process.env.DATABASE_URL });
        await blocker.connect();
        try {
          await blocker.query('BEGIN');
          await blocker.query('SELECT pg_current_xact_id()');
          await source.store.append('late', [newEvent('Late')], 'no_stream');
          const visible = (await source.store.readAll(null, 10)).events;
          assert.equal(visible.some((event) => event.streamId === 'late'), false, 'the late event is held back');
          await assert.rejects(copyEventLog(source.store, (await postgres()).store, { heldBackTimeoutMs: 300 }), HeldBackError);
          const copying = copyEventLog(source.store, (await postgres()).store);
          await blocker.query('COMMIT');
          const report = await copying;
          assert.deepEqual([report.matches, report.source.events, report.target.events], [true, 2, 2]);
        } finally {
          await blocker.end();
        }
      },
    );

    test('an EventStoreDB event that is not JSON stops the copy by name', TIMEOUT, async () => {
      const source = await esdb();
      await source.store.append('fine', [newEvent('Fine')], 'no_stream');
      const client = EventStoreDBClient.connectionString(source.double.connectionString);
      try {
        await client.appendToStream('binary', binaryEvent({ type: 'Blob', data: Buffer.from([1, 2, 3]) }));
      } finally {
        await client.dispose();
      }
      const target = await postgres();
      await assert.rejects(copyEventLog(source.store, target.store), (error: unknown) => {
        assert.ok(error instanceof CopyFailedError);
        assert.match(error.message, /cannot be copied as JSON: Event .* \(Blob, binary@0, position .*\) cannot be decoded: its content type is not application\/json \(1 events copied before it/);
        return true;
      });
    });
  });
}
