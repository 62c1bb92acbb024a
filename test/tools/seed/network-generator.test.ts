import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVENT_STORE, type EventStore } from '../../../src/platform/event-store/event-store.port';
import { NetworkGenerator, type NetworkOptions } from '../../../src/tools/seed/network-generator.seed';
import { seedNetwork } from '../../../src/tools/seed/seed-network.seed';
import type { SeedStream } from '../../../src/tools/seed/stream-builder.seed';
import { GraphqlSink, inParallel } from '../../../src/tools/seed/stream-sinks.seed';
import { startTestApp, type TestApp } from '../../support/test-app';

const OPTIONS: NetworkOptions = { pops: 4, years: 1, seed: 3, endMs: Date.parse('2026-06-01T00:00:00.000Z'), workloads: 4, provenance: { actor: 'seed', source: 'cli' } };

function generate(options: NetworkOptions): SeedStream[] {
  const generator = new NetworkGenerator(options);
  return [...generator.popStreams(), ...generator.referenceStreams(), ...generator.workloadStreams()];
}

/** What a stream says about the world: its events without ids and append metadata. */
const facts = (events: Array<{ type: string; data: unknown; effectiveAt: string }>) => events.map(({ type, data, effectiveAt }) => ({ type, data, effectiveAt }));

describe('seed: network generator', () => {
  it('generates the same streams, ids included, for the same options', () => {
    assert.deepEqual(generate(OPTIONS), generate(OPTIONS));
    assert.notDeepEqual(generate({ ...OPTIONS, seed: 4 }), generate(OPTIONS));
  });

  it('places workloads only at PoPs it generated (whose streams are appended first)', () => {
    const generator = new NetworkGenerator(OPTIONS);
    const pops = [...generator.popStreams()].map((s) => s.streamId);
    const workloads = [...generator.workloadStreams()];
    const placedAt = workloads.flatMap((w) => w.events.filter((e) => e.type === 'WorkloadPlaced').map((e) => `pop-${e.data.popId as string}`));
    assert.ok(placedAt.length > 0);
    assert.deepEqual(placedAt.filter((streamId) => !pops.includes(streamId)), []);
  });

  describe('through the GraphQL command path', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp();
    });
    after(() => app.close());

    it('makes the service append exactly the events the generator decided in memory', async () => {
      const generator = new NetworkGenerator(OPTIONS);
      const expected = new Map<string, SeedStream>();
      const sink = new GraphqlSink((query, variables) => app.gql(query, variables), 4);
      await seedNetwork(generator, sink, (stream) => expected.set(stream.streamId, stream));
      const store = app.app.get<EventStore>(EVENT_STORE);
      assert.equal(expected.size, generator.stats.streams);
      await inParallel(expected.values(), 4, async (stream) => {
        const stored = await store.readStream(stream.streamId);
        assert.deepEqual(
          facts(stored.map((e) => ({ type: e.type, data: e.data, effectiveAt: e.metadata.effectiveAt }))),
          facts(stream.events.map((e) => ({ type: e.type, data: e.data, effectiveAt: e.metadata.effectiveAt }))),
          stream.streamId,
        );
        assert.deepEqual(new Set(stored.map((e) => e.metadata.commandId)), new Set(stream.commands.map((c) => c.commandId)));
      });
    });
  });
});
