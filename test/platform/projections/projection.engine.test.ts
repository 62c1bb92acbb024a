import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { SqlClient } from '../../../src/platform/database/sql-client.port';
import { AppendResult, EventStore, NewEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { Projection } from '../../../src/platform/projections/projection.port';
import { ProjectionEngine, ProjectionEngineOptions, RebuildInProgressError } from '../../../src/platform/projections/projection.engine';
import { RebuildFailedError } from '../../../src/platform/projections/projection.rebuild';
import { testDatabases } from '../../support/test-databases';
import { streamCountProjection } from './stream-count.projection';

interface Harness {
  sql: SqlClient;
  store: EventStore;
  engine(projections: Projection[], options?: ProjectionEngineOptions): ProjectionEngine;
  append(streamId: string, types: string[]): Promise<AppendResult>;
  counts(projection?: string): Promise<Array<[string, number, number]>>;
}

const FAST: ProjectionEngineOptions = { leaderRetryMs: 50, heartbeatMs: 500, retryDelayMs: 10, recheckMs: 200 };
/** Generous bound for conditions that hold once the engine got to them (never a speed assertion). */
const PATIENCE_MS = 30_000;

function newEvent(type: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: {},
    metadata: {
      effectiveAt: '2025-01-01T00:00:00.000Z',
      actor: 'test',
      source: 'cli',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

async function eventually(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Appends `Warm` events until the engine applies one live. `inAppend` (the embedded default): until one
 * is applied within its append's transaction, which the runner starts doing once its subscription has
 * read the log to its end.
 */
async function projectedInAppends(h: Harness, engine: ProjectionEngine, inAppend: boolean): Promise<void> {
  await eventually(inAppend ? 'projected in the append transaction' : 'projected live', async () => {
    const appended = await h.append('pop-warm', ['Warm']);
    return engine.waitFor(appended.position, inAppend ? 0 : PATIENCE_MS);
  });
}

for (const database of testDatabases()) {
  /** A fresh database per test; engines and the store are closed afterwards. */
  async function withHarness(run: (h: Harness) => Promise<void>): Promise<void> {
    const { sql, dispose } = await database.create();
    const store = new PostgresEventStore(sql);
    const engines: ProjectionEngine[] = [];
    try {
      await run({
        sql,
        store,
        engine(projections, options) {
          const engine = new ProjectionEngine(sql, store, projections, { ...FAST, ...options });
          engines.push(engine);
          return engine;
        },
        append: (streamId, types) => store.append(streamId, types.map(newEvent), 'any'),
        async counts(projection = 'stream_counts') {
          const { rows } = await sql.query<{ stream_id: string; events: number; last_revision: number }>(
            `SELECT stream_id, events, last_revision FROM ${projection}_rm ORDER BY stream_id`,
          );
          return rows.map((row) => [row.stream_id, row.events, row.last_revision]);
        },
      });
    } finally {
      for (const engine of engines) await engine.stop();
      await store.close();
      await dispose();
    }
  }

  async function statusOf(engine: ProjectionEngine, name: string) {
    const status = (await engine.status()).find((candidate) => candidate.name === name);
    assert.ok(status, `status of ${name}`);
    return status;
  }

  describe(`projection engine (${database.name})`, () => {
    test('catches up from an empty checkpoint in batches', () =>
      withHarness(async (h) => {
        await h.append('pop-a', ['A', 'B', 'C']);
        await h.append('pop-b', ['A']);
        const last = await h.append('pop-a', ['D']);
        const batches: number[] = [];
        const engine = h.engine([streamCountProjection()], { batchSize: 2, onBatch: ({ events }) => batches.push(events) });
        await engine.start();

        assert.equal(await engine.waitFor(last.position, PATIENCE_MS), true);
        // PGlite hears the checkpoint's NOTIFY before the committing call returns: onBatch may come just after.
        await eventually('the last onBatch', () => batches.length === 3);
        assert.deepEqual(batches, [2, 2, 1]);
        assert.deepEqual(await h.counts(), [
          ['pop-a', 4, 3],
          ['pop-b', 1, 0],
        ]);
        const { updatedAt, ...status } = await statusOf(engine, 'stream_counts');
        assert.ok(updatedAt);
        assert.deepEqual(status, {
          name: 'stream_counts',
          status: 'RUNNING',
          position: last.position,
          lagEvents: 0,
          lastError: null,
          failedEvent: null,
        });
      }));

    test('projects live events as they are appended', () =>
      withHarness(async (h) => {
        const engine = h.engine([streamCountProjection()]);
        await engine.start();
        await eventually('leadership', () => engine.isLeader);
        for (let i = 1; i <= 3; i++) {
          const appended = await h.append('pop-live', ['Tick']);
          assert.equal(await engine.waitFor(appended.position, PATIENCE_MS), true);
          assert.deepEqual(await h.counts(), [['pop-live', i, i - 1]]);
        }
      }));

    test('a projection that throws stops on that event, keeps the good prefix, and the others go on', () =>
      withHarness(async (h) => {
        const fragile = streamCountProjection({ name: 'fragile', failOn: (event) => event.type === 'Boom' });
        const sturdy = streamCountProjection({ name: 'sturdy' });
        const appended = await h.append('pop-1', ['A', 'B', 'Boom', 'D']);
        const engine = h.engine([fragile, sturdy], { batchSize: 100 });
        await engine.start();

        assert.equal(await engine.waitFor(appended.position, PATIENCE_MS), false);
        const events = await h.store.readStream('pop-1');
        const boom = events[2];
        const { updatedAt, ...status } = await statusOf(engine, 'fragile');
        assert.ok(updatedAt);
        assert.deepEqual(status, {
          name: 'fragile',
          status: 'FAILED',
          position: events[1].position,
          lagEvents: 2,
          lastError: 'cannot count Boom',
          failedEvent: { eventId: boom.eventId, type: 'Boom', streamId: 'pop-1', revision: 2, position: boom.position },
        });
        assert.deepEqual(await h.counts('fragile'), [['pop-1', 2, 1]]);

        const later = await h.append('pop-2', ['E']);
        await eventually('sturdy projects the later event', async () => (await statusOf(engine, 'sturdy')).position === later.position);
        assert.deepEqual(await h.counts('sturdy'), [
          ['pop-1', 4, 3],
          ['pop-2', 1, 0],
        ]);
        assert.deepEqual(await h.counts('fragile'), [['pop-1', 2, 1]]);
        assert.equal((await statusOf(engine, 'fragile')).position, events[1].position);
        assert.equal(await engine.waitFor(later.position, 50), false);
      }));

    test('retries a batch that failed on a transient error, without marking the projection failed', () =>
      withHarness(async (h) => {
        const counting = streamCountProjection();
        let failures = 0;
        const flaky: Projection = {
          ...counting,
          async handle(tx, events, t) {
            if (failures++ === 0) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
            await counting.handle(tx, events, t);
          },
        };
        const appended = await h.append('pop-f', ['A', 'B']);
        const engine = h.engine([flaky]);
        await engine.start();

        assert.equal(await engine.waitFor(appended.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts(), [['pop-f', 2, 1]]);
        assert.equal((await statusOf(engine, 'stream_counts')).status, 'RUNNING');
      }));

    test('a projection that resumes on rebuild is not replayed: it keeps its rows and checkpoint, loses its FAILED status and goes on', () =>
      withHarness(async (h) => {
        let fixed = false;
        const resuming: Projection = { ...streamCountProjection({ name: 'resuming', failOn: (event) => event.type === 'Boom' && !fixed }), resumesOnRebuild: true };
        const replayed = streamCountProjection({ name: 'replayed' });
        const engine = h.engine([replayed, resuming]);
        await engine.start();
        const first = await h.append('pop-1', ['A', 'B']);
        assert.equal(await engine.waitFor(first.position, PATIENCE_MS), true);
        const boom = await h.append('pop-1', ['Boom']);
        assert.equal(await engine.waitFor(boom.position, PATIENCE_MS), false);
        assert.equal((await statusOf(engine, 'resuming')).status, 'FAILED');

        fixed = true;
        const result = await engine.rebuild();
        assert.deepEqual(result.projections, ['replayed', 'resuming']);
        assert.equal(await engine.waitFor(boom.position, PATIENCE_MS), true, 'it went on from where it stopped');
        assert.deepEqual(await h.counts('resuming'), [['pop-1', 3, 2]], 'nothing counted twice');
        assert.deepEqual(await h.counts('replayed'), [['pop-1', 3, 2]]);
        const only = await engine.rebuild(['resuming']);
        assert.deepEqual([only.projections, only.events], [['resuming'], 0]);
        assert.deepEqual(await h.counts('resuming'), [['pop-1', 3, 2]]);
      }));

    test('runs leader tasks while leading and tells batch listeners of each committed batch', () =>
      withHarness(async (h) => {
        const engine = h.engine([streamCountProjection()]);
        const calls: string[] = [];
        engine.runWhileLeading({ start: () => void calls.push('start'), stop: async () => void calls.push('stop') });
        const batches: number[] = [];
        const off = engine.onBatchCommitted((batch) => batches.push(batch.events));
        await engine.start();
        await eventually('leadership', () => engine.isLeader);
        await eventually('the task started', () => calls.includes('start'));
        const appended = await h.append('pop-t', ['A', 'B']);
        assert.equal(await engine.waitFor(appended.position, PATIENCE_MS), true);
        await eventually('the listener heard the batch', () => batches.reduce((a, b) => a + b, 0) === 2);
        off();
        await engine.stop();
        assert.deepEqual(calls, ['start', 'stop']);
      }));

    test('a new instance resumes from the checkpoint with nothing lost or doubled', () =>
      withHarness(async (h) => {
        const first = h.engine([streamCountProjection()]);
        await first.start();
        const early = await h.append('pop-r', ['A', 'B', 'C']);
        assert.equal(await first.waitFor(early.position, PATIENCE_MS), true);
        await first.stop();

        await h.append('pop-r', ['D']);
        const late = await h.append('pop-s', ['A']);
        const second = h.engine([streamCountProjection()]);
        await second.start();
        assert.equal(await second.waitFor(late.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts(), [
          ['pop-r', 4, 3],
          ['pop-s', 1, 0],
        ]);
      }));

    test('rebuild swaps in equal tables while queries keep answering from the old ones', () =>
      withHarness(async (h) => {
        let last: AppendResult | undefined;
        for (let i = 0; i < 40; i++) last = await h.append(`pop-${i % 5}`, ['A', 'B']);
        const engine = h.engine([streamCountProjection()], { rebuildBatchSize: 7 });
        await engine.start();
        assert.equal(await engine.waitFor(last!.position, PATIENCE_MS), true);
        const before = await h.counts();
        assert.equal(before.length, 5);

        const seen: unknown[] = [];
        let querying = true;
        const queries = (async () => {
          while (querying) {
            seen.push(await h.counts());
            await setImmediate();
          }
        })();
        const [result, concurrent] = await Promise.allSettled([engine.rebuild(), engine.rebuild()]);
        querying = false;
        await queries;

        assert.ok(concurrent.status === 'rejected' && concurrent.reason instanceof RebuildInProgressError);
        assert.ok(result.status === 'fulfilled');
        assert.deepEqual({ ...result.value, durationMs: 0 }, {
          projections: ['stream_counts'],
          events: 80,
          position: last!.position,
          durationMs: 0,
        });
        assert.ok(seen.length > 0);
        for (const answer of seen) assert.deepEqual(answer, before);
        assert.deepEqual(await h.counts(), before);
        assert.deepEqual(await relations(h.sql), [
          'stream_counts_rm',
          'stream_counts_rm_events_idx',
          'stream_counts_rm_id_key',
          'stream_counts_rm_id_seq',
          'stream_counts_rm_pkey',
        ]);

        await engine.rebuild(['stream_counts']);
        assert.deepEqual(await h.counts(), before);
        const next = await h.append('pop-0', ['C']);
        assert.equal(await engine.waitFor(next.position, PATIENCE_MS), true);
        assert.deepEqual((await h.counts())[0], ['pop-0', 17, 16]);
      }));

    test('rebuild while events keep arriving ends with every event counted once', () =>
      withHarness(async (h) => {
        for (let i = 0; i < 30; i++) await h.append(`pop-${i % 3}`, ['A']);
        const engine = h.engine([streamCountProjection()], { rebuildBatchSize: 4 });
        await engine.start();
        let last: AppendResult | undefined;
        const appending = (async () => {
          for (let i = 0; i < 30; i++) last = await h.append(`pop-${i % 3}`, ['B']);
        })();
        await engine.rebuild();
        await appending;

        assert.equal(await engine.waitFor(last!.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts(), [
          ['pop-0', 20, 19],
          ['pop-1', 20, 19],
          ['pop-2', 20, 19],
        ]);
      }));

    test('rebuild clears a failure; a failing rebuild names the event and leaves the live tables alone', () =>
      withHarness(async (h) => {
        let broken = true;
        const projection = streamCountProjection({ failOn: (event) => broken && event.type === 'Boom' });
        await h.append('pop-x', ['A', 'Boom']);
        const engine = h.engine([projection]);
        await engine.start();
        await eventually('failure', async () => (await statusOf(engine, 'stream_counts')).status === 'FAILED');

        await assert.rejects(engine.rebuild(), (error: unknown) => {
          assert.ok(error instanceof RebuildFailedError);
          assert.equal(error.projection, 'stream_counts');
          assert.equal(error.event.type, 'Boom');
          return true;
        });
        assert.deepEqual(await h.counts(), [['pop-x', 1, 0]]);
        assert.deepEqual(await relations(h.sql), ['stream_counts_rm', 'stream_counts_rm_events_idx', 'stream_counts_rm_id_key', 'stream_counts_rm_id_seq', 'stream_counts_rm_pkey']);

        broken = false;
        const result = await engine.rebuild();
        const status = await statusOf(engine, 'stream_counts');
        assert.deepEqual([status.status, status.position, status.lastError, status.failedEvent], ['RUNNING', result.position, null, null]);
        assert.deepEqual(await h.counts(), [['pop-x', 2, 1]]);

        const next = await h.append('pop-x', ['C']);
        assert.equal(await engine.waitFor(next.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts(), [['pop-x', 3, 2]]);
      }));

    test('a projection whose streams are independent is rebuilt in concurrent chains: each event once, each stream in order, a failure named', () =>
      withHarness(async (h) => {
        let broken = true;
        const projection = { ...streamCountProjection({ failOn: (event) => broken && event.type === 'Boom' }), streamsIndependent: true };
        const streams = Array.from({ length: 12 }, (_, i) => `pop-${i}`);
        for (let i = 0; i < 48; i++) await h.append(streams[i % 12], i === 40 ? ['A', 'Boom'] : ['A']);
        const engine = h.engine([projection], { rebuildBatchSize: 5 });
        await engine.start();

        await assert.rejects(engine.rebuild(), (error: unknown) => {
          assert.ok(error instanceof RebuildFailedError);
          assert.deepEqual([error.event.type, error.event.streamId, error.event.revision], ['Boom', 'pop-4', 4]);
          return true;
        });
        broken = false;
        assert.equal((await engine.rebuild()).events, 49);
        // last_revision is the revision of the stream's last event applied: any reordering shows.
        const expected = streams.map((stream) => (stream === 'pop-4' ? [stream, 5, 4] : [stream, 4, 3]));
        assert.deepEqual(await h.counts(), expected.sort(([a], [b]) => (a < b ? -1 : 1)));
      }));

    test('a projection rebuilt on its own is ahead of the others: the shared runner neither moves it back nor applies an event twice', () =>
      withHarness(async (h) => {
        const [first, second] = [streamCountProjection({ name: 'first' }), streamCountProjection({ name: 'second' })];
        for (let i = 0; i < 3; i++) await h.append('pop-r', ['A', 'B']);
        const engine = h.engine([first, second], { batchSize: 2 });
        const rebuilt = await engine.rebuild(['first']);
        await engine.start(); // 'second' starts from the beginning, in batches that end before 'first'

        const next = await h.append('pop-r', ['C']);
        assert.equal(await engine.waitFor(next.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts('first'), [['pop-r', 7, 6]]);
        assert.deepEqual(await h.counts('second'), [['pop-r', 7, 6]]);
        assert.ok(rebuilt.position !== null && rebuilt.position < next.position);
        assert.equal((await statusOf(engine, 'first')).position, next.position);
      }));

    test('a projection that throws on a live append: the append stands, the projection stops on that event, the others go on', () =>
      withHarness(async (h) => {
        const fragile = streamCountProjection({ name: 'fragile', failOn: (event) => event.type === 'Boom' });
        const sturdy = streamCountProjection({ name: 'sturdy' });
        const engine = h.engine([fragile, sturdy]);
        await engine.start();
        await projectedInAppends(h, engine, database.name === 'pglite');

        const appended = await h.append('pop-1', ['A', 'Boom', 'C']);
        const events = await h.store.readStream('pop-1');
        assert.deepEqual(events.map(({ type }) => type), ['A', 'Boom', 'C']);
        assert.equal(await engine.waitFor(appended.position, PATIENCE_MS), false);
        const { updatedAt, lagEvents, ...status } = await statusOf(engine, 'fragile');
        assert.ok(updatedAt);
        assert.equal(lagEvents, 2);
        assert.deepEqual(status, {
          name: 'fragile',
          status: 'FAILED',
          position: events[0].position,
          lastError: 'cannot count Boom',
          failedEvent: { eventId: events[1].eventId, type: 'Boom', streamId: 'pop-1', revision: 1, position: events[1].position },
        });
        assert.deepEqual((await h.counts('fragile')).filter(([stream]) => stream === 'pop-1'), [['pop-1', 1, 0]]);
        await eventually('sturdy projects the append', async () => (await statusOf(engine, 'sturdy')).position === appended.position);
        assert.deepEqual((await h.counts('sturdy')).filter(([stream]) => stream === 'pop-1'), [['pop-1', 3, 2]]);
      }));

    if (database.name === 'pglite') {
      test('embedded: a live append commits together with every projection\'s writes and checkpoint', () =>
        withHarness(async (h) => {
          const engine = h.engine([streamCountProjection({ name: 'first' }), streamCountProjection({ name: 'second' })]);
          await engine.start();
          await projectedInAppends(h, engine, true);
          const checkpoints = async () =>
            (await h.sql.query<{ position: string }>('SELECT position FROM projection_checkpoints ORDER BY name')).rows.map(({ position }) => position);
          for (let i = 1; i <= 3; i++) {
            const appended = await h.append('pop-inline', ['A', 'B']);
            // Read at once, before the subscription could have woken: only the append's transaction wrote these.
            assert.deepEqual(await checkpoints(), [appended.position, appended.position]);
            assert.deepEqual(await h.counts('first'), await h.counts('second'));
            assert.deepEqual((await h.counts('first')).find(([stream]) => stream === 'pop-inline'), ['pop-inline', 2 * i, 2 * i - 1]);
            assert.equal(await engine.waitFor(appended.position, 0), true);
          }
        }));
    }

    test('only one instance leads; another takes over when it stops or its lock connection dies', { skip: database.name === 'pglite' }, () =>
      withHarness(async (h) => {
        const batches = new Map<string, number>();
        const instance = (id: string) =>
          h.engine([streamCountProjection()], { onBatch: () => batches.set(id, (batches.get(id) ?? 0) + 1) });
        const [a, b, c] = [instance('a'), instance('b'), instance('c')];
        await a.start();
        await eventually('a leads', () => a.isLeader);
        await b.start();
        await c.start();

        let appended = await h.append('pop-l', ['A']);
        assert.equal(await b.waitFor(appended.position, PATIENCE_MS), true);
        assert.deepEqual([a.isLeader, b.isLeader, c.isLeader], [true, false, false]);
        await eventually("a's batch", () => batches.has('a')); // the checkpoint NOTIFY may beat onBatch
        assert.deepEqual([...batches.keys()], ['a']);

        await a.stop();
        await eventually('b or c takes over', () => b.isLeader || c.isLeader);
        appended = await h.append('pop-l', ['B']);
        assert.equal(await c.waitFor(appended.position, PATIENCE_MS), true);

        const [leader, follower] = b.isLeader ? [b, c] : [c, b];
        const terminated = await h.sql.query<{ terminated: boolean }>(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid = 7050001 AND objid = hashtext(current_schema())::oid AND objsubid = 2`,
        );
        assert.deepEqual(terminated.rows, [{ terminated: true }]);
        for (let i = 0; i < 20; i++) appended = await h.append('pop-l', ['C']);
        await eventually('the follower takes over', () => follower.isLeader && !leader.isLeader);
        assert.equal(await follower.waitFor(appended.position, PATIENCE_MS), true);
        assert.deepEqual(await h.counts(), [['pop-l', 22, 21]]);
      }));
  });
}

/** The relations of the test projection's table (catches leftover or misnamed rebuild copies). */
async function relations(sql: SqlClient): Promise<string[]> {
  const { rows } = await sql.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      WHERE c.relname LIKE 'stream_counts%' ORDER BY c.relname`,
  );
  return rows.map(({ relname }) => relname);
}
