import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RECENT_COMMANDS } from '../../../src/platform/commands/accepted-commands.util';
import { CommandEnvelope } from '../../../src/platform/commands/command-envelope.types';
import { CommandExecutor, CommandItem, CommandOutcome } from '../../../src/platform/commands/command-executor.service';
import { StreamCache } from '../../../src/platform/commands/stream-cache.util';
import { Decider } from '../../../src/kernel/decider.types';
import { AppConfig } from '../../../src/platform/config/app.config';
import { RuleViolationError } from '../../../src/kernel/domain.errors';
import { EventStore } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { MetricsService } from '../../../src/platform/observability/metrics.service';
import { TestDatabase, testDatabases } from '../../support/test-databases';

/** A tank that takes litres up to 10: enough to see order, state carried between commands, and rejections. */
type Fill = { type: 'Fill'; data: { litres: number }; effectiveAt: string };
type Filled = { type: 'Filled'; data: { litres: number }; effectiveAt: string };
const tank: Decider<Fill, { litres: number }, Filled> = {
  initialState: () => ({ litres: 0 }),
  evolve: (state, event) => {
    state.litres += event.data.litres; // in place, as deciders may
    return state;
  },
  decide: (command, state) => {
    if (state.litres + command.data.litres > 10) throw new RuleViolationError('SPACE_EXCEEDED', `${command.data.litres} l do not fit, ${state.litres} l in the tank`);
    return [{ type: 'Filled', data: command.data, effectiveAt: command.effectiveAt }];
  },
};

const at = '2026-01-01T00:00:00.000Z';
const fill = (litres: number, commandId?: string, expectedRevision?: number): CommandItem<Fill> => ({
  command: { type: 'Fill', data: { litres }, effectiveAt: at },
  envelope: { principal: { name: 'import', role: 'procurement' }, source: 'import', commandId, expectedRevision, correlationId: 'batch-1' } as CommandEnvelope,
});

/** Outcomes without the opaque parts (event ids, positions), which are checked separately. */
const shape = (outcomes: CommandOutcome[]) =>
  outcomes.map((o) => ('result' in o ? { revision: o.result.revision, events: o.result.eventIds.length, duplicate: o.result.duplicate } : { error: (o.error as Error).message }));

const executorOn = (store: EventStore) => new CommandExecutor(store, { READ_YOUR_WRITES_TIMEOUT_MS: 0 } as AppConfig, new MetricsService());

for (const factory of testDatabases()) {
  describe(`CommandExecutor.executeAll (${factory.name})`, () => {
    let db: TestDatabase;
    let store: PostgresEventStore;
    before(async () => {
      db = await factory.create();
      store = new PostgresEventStore(db.sql);
    });
    after(() => db.dispose());

    it('decides in order on the state earlier commands leave, appends once, and lets a rejection block nothing', async () => {
      const executor = executorOn(store);
      const outcomes = await executor.executeAll(tank, 'tank-1', [fill(4, 'a'), fill(5, 'b'), fill(3, 'c'), fill(1, 'd')]);
      assert.deepEqual(shape(outcomes), [
        { revision: 0, events: 1, duplicate: false },
        { revision: 1, events: 1, duplicate: false },
        { error: '3 l do not fit, 9 l in the tank' },
        { revision: 2, events: 1, duplicate: false },
      ]);
      const events = await store.readStream('tank-1');
      assert.deepEqual(events.map((e) => [e.data.litres, e.metadata.commandId, e.metadata.correlationId]), [[4, 'a', 'batch-1'], [5, 'b', 'batch-1'], [1, 'd', 'batch-1']]);
      assert.deepEqual(outcomes.flatMap((o) => ('result' in o ? o.result.eventIds : [])), events.map((e) => e.eventId));
      // One transaction: every command answers the append's position, which is that of its last event.
      assert.deepEqual(new Set(outcomes.flatMap((o) => ('result' in o ? [o.result.position] : []))), new Set([events[2].position]));
      // The cache never saw the unappended state: a fresh executor agrees with this one.
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-1', [fill(1), fill(0)])), [{ error: '1 l do not fit, 10 l in the tank' }, { revision: 3, events: 1, duplicate: false }]);
      assert.deepEqual((await executorOn(store).load(tank, 'tank-1')).state, (await executor.load(tank, 'tank-1')).state);
    });

    it('answers known commandIds, and a repeat within the call, as duplicates with the first eventIds', async () => {
      const executor = executorOn(store);
      const [first] = await executor.executeAll(tank, 'tank-2', [fill(2, 'x')]);
      const outcomes = await executor.executeAll(tank, 'tank-2', [fill(2, 'x'), fill(3, 'y'), fill(3, 'y'), fill(9, 'z'), fill(1, 'z')]);
      assert.deepEqual(shape(outcomes), [
        { revision: 0, events: 1, duplicate: true },
        { revision: 1, events: 1, duplicate: false },
        { revision: 1, events: 1, duplicate: true },
        { error: '9 l do not fit, 5 l in the tank' },
        // A rejected command is not remembered: the same commandId is decided again.
        { revision: 2, events: 1, duplicate: false },
      ]);
      assert.ok('result' in first && 'result' in outcomes[0] && 'result' in outcomes[1] && 'result' in outcomes[2]);
      assert.deepEqual(outcomes[0].result.eventIds, first.result.eventIds);
      assert.deepEqual(outcomes[2].result.eventIds, outcomes[1].result.eventIds);
      assert.equal((await store.readStream('tank-2')).length, 3);
    });

    it('answers commandIds older than the ones kept whole in memory from the stream, with their first answer', async () => {
      let reads = 0;
      const counting = Object.create(store, {
        readStream: { value: (...args: Parameters<EventStore['readStream']>) => (reads++, store.readStream(...args)) },
      }) as EventStore;
      const executor = executorOn(counting);
      const ids = Array.from({ length: 2 * RECENT_COMMANDS }, (_, i) => `old${i}`);
      // The first on its own (a batch answers the append's position; the stream, each event's).
      const first = await executor.executeAll(tank, 'tank-old', [fill(0, ids[0])]);
      await executor.executeAll(tank, 'tank-old', ids.slice(1).map((id) => fill(0, id)));
      reads = 0;
      // A recent commandId is answered from memory; an old one from the stream, as it was first answered.
      const again = await executor.executeAll(tank, 'tank-old', [fill(0, ids[ids.length - 1]), fill(0, 'old0'), fill(0, 'new')]);
      assert.deepEqual(shape(again), [
        { revision: ids.length - 1, events: 1, duplicate: true },
        { revision: 0, events: 1, duplicate: true },
        { revision: ids.length, events: 1, duplicate: false },
      ]);
      assert.equal(reads, 1, 'one read of the stream, for the old commandId');
      assert.ok('result' in first[0] && 'result' in again[1]);
      assert.deepEqual({ ...again[1].result, duplicate: false }, first[0].result);
      // inspect resolves the commandIds it is given, and refuses to guess about an old one it was not.
      const view = (commandId: string) => executor.inspect(tank, 'tank-old', ({ accepted }) => accepted(commandId), ['old0', 'new', 'never']);
      assert.deepEqual(await Promise.all(['old0', 'new', 'never'].map(view)), [true, true, false]);
      await assert.rejects(view('old1'), /old1 was not given to inspect/);
    });

    it('decides again when another writer appended in between, and honours a pinned expectedRevision', async () => {
      await store.append('tank-3', [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'Filled', data: { litres: 1 }, metadata: { effectiveAt: at, actor: 'x', source: 'cli', commandId: 'w0', correlationId: 'w0', schemaVersion: 1 } }], 'no_stream');
      let raced = false;
      // The real store, with one foreign append slipped in before our first append.
      const racing = Object.create(store, {
        append: {
          value: async (...args: Parameters<EventStore['append']>) => {
            if (!raced) {
              raced = true;
              await store.append('tank-3', [{ eventId: '00000000-0000-4000-8000-000000000002', type: 'Filled', data: { litres: 6 }, metadata: { effectiveAt: at, actor: 'x', source: 'cli', commandId: 'w1', correlationId: 'w1', schemaVersion: 1 } }], 'any');
            }
            return store.append(...args);
          },
        },
      }) as EventStore;
      const executor = executorOn(racing);
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-3', [fill(2, 'p'), fill(2, 'q')])), [
        { revision: 2, events: 1, duplicate: false },
        { error: '2 l do not fit, 9 l in the tank' },
      ]);
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-3', [fill(1, 'r', 7), fill(1, 's', 2)])), [
        { error: 'Stream tank-3: expected revision 7, actual 2' },
        { revision: 3, events: 1, duplicate: false },
      ]);
    });

    it('an append that fails leaves no trace in the state the next command is decided on', async () => {
      let failNext = false;
      const flaky: EventStore = Object.create(store, {
        append: {
          value: (...args: Parameters<EventStore['append']>) => {
            if (!failNext) return store.append(...args);
            failNext = false;
            return Promise.reject(new Error('connection lost'));
          },
        },
      });
      const executor = executorOn(flaky);
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-flaky', [fill(2, 'a')])), [{ revision: 0, events: 1, duplicate: false }]);
      failNext = true;
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-flaky', [fill(3, 'b'), fill(4, 'c')])), [{ error: 'connection lost' }, { error: 'connection lost' }]);
      // 2 l are in the tank, not 9: 8 more fit.
      assert.deepEqual(shape(await executor.executeAll(tank, 'tank-flaky', [fill(5, 'd'), fill(3, 'e')])), [
        { revision: 1, events: 1, duplicate: false },
        { revision: 2, events: 1, duplicate: false },
      ]);
    });

    it('runs a single command exactly like execute, which shares the code', async () => {
      const executor = executorOn(store);
      const result = await executor.execute(tank, 'tank-4', fill(4, 'one').command, fill(4, 'one').envelope);
      assert.deepEqual({ ...result, eventIds: result.eventIds.length, position: typeof result.position }, {
        streamId: 'tank-4', revision: 0, position: 'string', eventIds: 1, duplicate: false, projected: false, dryRun: false, wouldRecord: [],
      });
      await assert.rejects(executor.execute(tank, 'tank-4', fill(7, 'two').command, fill(7, 'two').envelope), RuleViolationError);
    });

    it('decides a dry-run batch in order like a real one, but appends nothing, remembers no commandId and leaves the cached state alone', async () => {
      const executor = executorOn(store);
      await executor.executeAll(tank, 'tank-5', [fill(2, 'first')]);
      const dry = (item: CommandItem<Fill>): CommandItem<Fill> => ({ ...item, envelope: { ...item.envelope, dryRun: true } });
      const items = [fill(2, 'first'), fill(4, 'a'), fill(5, 'b'), fill(3, 'c'), fill(3, 'a'), fill(1, 'd', 4)];
      const outcomes = await executor.executeAll(tank, 'tank-5', items.map(dry));
      assert.deepEqual(
        outcomes.map((o) => ('result' in o ? [o.result.revision, o.result.duplicate, o.result.eventIds.length, o.result.position, o.result.wouldRecord.map((e) => e.data.litres)] : (o.error as Error).message)),
        [
          [0, true, 0, '', []], // known commandId: a duplicate, as the real batch would answer
          [0, false, 0, '', [4]],
          '5 l do not fit, 6 l in the tank',
          [1, false, 0, '', [3]],
          [2, true, 0, '', []], // a repeat within the batch
          'Stream tank-5: expected revision 4, actual 2',
        ],
      );
      assert.equal((await store.readStream('tank-5')).length, 1);
      assert.deepEqual((await executor.load(tank, 'tank-5')).state, { litres: 2 });
      // Nothing remembered: the real batch decides the same way and appends.
      const real = await executor.executeAll(tank, 'tank-5', items.slice(1, 4));
      assert.deepEqual(shape(real), [{ revision: 1, events: 1, duplicate: false }, { error: '5 l do not fit, 6 l in the tank' }, { revision: 2, events: 1, duplicate: false }]);
      const single = await executor.execute(tank, 'tank-5', fill(1).command, { ...fill(1).envelope, dryRun: true });
      assert.deepEqual({ ...single, wouldRecord: single.wouldRecord.length }, { streamId: 'tank-5', revision: 2, position: '', eventIds: [], duplicate: false, projected: false, dryRun: true, wouldRecord: 1 });
      assert.equal((await store.readStream('tank-5')).length, 3);
    });
  });

  describe(`CommandExecutor.executeAcross (${factory.name})`, () => {
    let db: TestDatabase;
    let store: PostgresEventStore;
    before(async () => {
      db = await factory.create();
      store = new PostgresEventStore(db.sql);
    });
    after(() => db.dispose());

    /** The store, counting the calls of `append` and `appendMany`; `beforeMany`, when set, runs before the next `appendMany` writes. */
    const counting = () => {
      const calls = { append: 0, appendMany: 0, beforeMany: undefined as (() => Promise<void>) | undefined };
      const wrapped = Object.create(store, {
        append: { value: (...args: Parameters<EventStore['append']>) => (calls.append++, store.append(...args)) },
        appendMany: {
          value: async (...args: Parameters<NonNullable<EventStore['appendMany']>>) => {
            calls.appendMany++;
            const hook = calls.beforeMany;
            calls.beforeMany = undefined;
            await hook?.();
            return store.appendMany(...args);
          },
        },
      }) as EventStore;
      return { calls, store: wrapped };
    };

    it('decides each stream like executeAll and appends every stream in one write, consecutive in the log', async () => {
      const { calls, store: wrapped } = counting();
      const executor = executorOn(wrapped);
      await executor.executeAll(tank, 'across-b', [fill(6, 'b0')]);
      const outcomes = await executor.executeAcross(tank, [
        { streamId: 'across-a', items: [fill(4, 'a1'), fill(7, 'a2'), fill(5, 'a3')] },
        { streamId: 'across-b', items: [fill(3, 'b2'), fill(3, 'b0'), fill(3, 'b2')] },
      ]);
      assert.deepEqual(outcomes.map(shape), [
        // across-a was read for this call, so its rejection is final.
        [{ revision: 0, events: 1, duplicate: false }, { error: '7 l do not fit, 4 l in the tank' }, { revision: 1, events: 1, duplicate: false }],
        [{ revision: 1, events: 1, duplicate: false }, { revision: 0, events: 1, duplicate: true }, { revision: 1, events: 1, duplicate: true }],
      ]);
      assert.deepEqual({ append: calls.append, appendMany: calls.appendMany }, { append: 1, appendMany: 1 });
      const a = await store.readStream('across-a');
      const b = await store.readStream('across-b');
      assert.deepEqual([a.map((e) => e.data.litres), b.map((e) => e.data.litres)], [[4, 5], [6, 3]]);
      // One transaction: every event of the write shares its transaction id (the first half of the position).
      assert.equal(new Set([...a, b[1]].map((e) => e.position.split(':')[0])).size, 1);
      assert.deepEqual(outcomes.flat().flatMap((o) => ('result' in o && !o.result.duplicate ? o.result.eventIds : [])), [...a, b[1]].map((e) => e.eventId));
      // The cached states moved on with the write: a fresh executor agrees.
      for (const streamId of ['across-a', 'across-b']) assert.deepEqual((await executor.load(tank, streamId)).state, (await executorOn(store).load(tank, streamId)).state);
      // A rejection on a cached state is checked on a fresh read: that stream goes on its own, the others together.
      const more = await executor.executeAcross(tank, [
        { streamId: 'across-a', items: [fill(1, 'a4')] },
        { streamId: 'across-b', items: [fill(2, 'b3'), fill(1, 'b4')] },
        { streamId: 'across-c', items: [fill(1, 'c1')] },
      ]);
      assert.deepEqual(more.map(shape), [[{ revision: 2, events: 1, duplicate: false }], [{ error: '2 l do not fit, 9 l in the tank' }, { revision: 2, events: 1, duplicate: false }], [{ revision: 0, events: 1, duplicate: false }]]);
      assert.deepEqual({ append: calls.append, appendMany: calls.appendMany }, { append: 2, appendMany: 2 });
    });

    it('when the write fails, writes nothing of it and runs each stream on its own, deciding again where another writer appended', async () => {
      const { calls, store: wrapped } = counting();
      const executor = executorOn(wrapped);
      await executor.executeAcross(tank, [{ streamId: 'race-a', items: [fill(1, 'a0')] }, { streamId: 'race-b', items: [fill(1, 'b0')] }]);
      // Another process fills race-b while our write is on its way: the write fails whole on race-b's revision.
      calls.beforeMany = () => store.append('race-b', [{ eventId: '00000000-0000-4000-8000-000000000003', type: 'Filled', data: { litres: 8 }, metadata: { effectiveAt: at, actor: 'x', source: 'cli', commandId: 'w', correlationId: 'w', schemaVersion: 1 } }], 0).then(() => undefined);
      const outcomes = await executor.executeAcross(tank, [{ streamId: 'race-a', items: [fill(2, 'a1')] }, { streamId: 'race-b', items: [fill(1, 'b1'), fill(2, 'b2')] }]);
      assert.deepEqual(outcomes.map(shape), [
        [{ revision: 1, events: 1, duplicate: false }],
        [{ revision: 2, events: 1, duplicate: false }, { error: '2 l do not fit, 10 l in the tank' }],
      ]);
      assert.deepEqual({ appendMany: calls.appendMany, append: calls.append }, { appendMany: 2, append: 2 });
      assert.deepEqual((await store.readStream('race-a')).map((e) => e.data.litres), [1, 2]);
      assert.deepEqual((await store.readStream('race-b')).map((e) => e.data.litres), [1, 8, 1]);
    });

    it('on a store without appendMany, runs each stream through executeAll, at most 16 at once', async () => {
      const executor = executorOn(Object.create(store, { appendMany: { value: undefined } }) as EventStore);
      let running = 0;
      let most = 0;
      const executeAll = executor.executeAll.bind(executor);
      executor.executeAll = (async (...args: Parameters<typeof executeAll>) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        try {
          return await executeAll(...args);
        } finally {
          running--;
        }
      }) as typeof executeAll;
      const streams = Array.from({ length: 40 }, (_, i) => `single-${i}`);
      const outcomes = await executor.executeAcross(tank, streams.map((streamId) => ({ streamId, items: [fill(4), fill(7)] })));
      assert.deepEqual(outcomes.map(shape), streams.map(() => [{ revision: 0, events: 1, duplicate: false }, { error: '7 l do not fit, 4 l in the tank' }]));
      assert.deepEqual(await Promise.all(streams.map(async (streamId) => (await store.readStream(streamId)).length)), streams.map(() => 1));
      assert.equal(most, 16);
    });

    it('holds every stream of the write: a command on one of them waits for it', async () => {
      const { calls, store: wrapped } = counting();
      const executor = executorOn(wrapped);
      // A slow write: a command on held-b that did not wait would append first and win held-b's last 4 l.
      calls.beforeMany = () => new Promise((resolve) => setTimeout(resolve, 100));
      const across = executor.executeAcross(tank, [{ streamId: 'held-a', items: [fill(6, 'a1')] }, { streamId: 'held-b', items: [fill(6, 'b1')] }]);
      const single = executor.executeAll(tank, 'held-b', [fill(6, 'b2')]);
      assert.deepEqual([(await across).map(shape), shape(await single)], [
        [[{ revision: 0, events: 1, duplicate: false }], [{ revision: 0, events: 1, duplicate: false }]],
        [{ error: '6 l do not fit, 6 l in the tank' }],
      ]);
    });

    it('caches a stream once it has an event, not every id a command or a read asked for in vain', async () => {
      const executor = executorOn(store);
      const cache = (executor as unknown as { cache: StreamCache<{ revision: number }> }).cache;
      await executor.load(tank, 'never-written');
      assert.deepEqual(shape(await executor.executeAll(tank, 'rejected-only', [fill(11)])), [{ error: '11 l do not fit, 0 l in the tank' }]);
      assert.deepEqual([cache.has('never-written'), cache.has('rejected-only'), cache.weight], [false, false, 0]);
      await executor.executeAll(tank, 'written', [fill(1)]);
      await executor.load(tank, 'written');
      assert.equal(cache.has('written'), true);
    });
  });
}
