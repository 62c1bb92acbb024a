import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandMix, graphqlFailure, racksFor } from '../support/command-mix';
import { runLoad, type LoadResult } from '../support/http-load';
import { waitForProjections } from '../support/service-client';
import { slotPopBuilder } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { KEYS, printTable, sized, startServiceUnderTest } from './reliability-support';

const MEASURE_S = sized(3, 10);
const SOAK_S = sized(20, 300);
const WINDOW_S = sized(5, 30);
const CONNECTIONS = 16;
/** Requests per second the slot PoPs are sized for (commands are 2 in 5 requests). */
const MAX_RATE = 2_500;
/** "Flat": the worst window may be this many times the first (plus a floor for timer noise). */
const P99_FACTOR = 3;
const P99_FLOOR_MS = 25;
const RSS_FACTOR = 1.5;
const RSS_FLOOR_MB = 64;

function percentile99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
}

describe('reliability: soak at half the measured maximum', { timeout: sized(180_000, 1_200_000) }, () => {
  it(`keeps p99 latency and memory flat over ${SOAK_S} s of mixed load`, async () => {
    const pops = Array.from({ length: sized(8, 32) }, (_, i) => `soak${i + 1}`);
    const racks = racksFor(pops.length, MAX_RATE * 0.4, MEASURE_S + SOAK_S);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('soak', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      const commands = new CommandMix(pops, racks, 'soak', new Date().toISOString());
      let k = 0;
      /** Two in five requests are commands; the rest what planners read around them. */
      const next = (): string => {
        const popId = pops[k % pops.length];
        switch (k++ % 5) {
          case 0:
          case 1:
            return commands.next();
          case 2:
            return JSON.stringify({ query: 'query($p: ID!) { capacity(popId: $p) { overall space { freeU } power { headroomKw } network { headroomMbps } } }', variables: { p: popId } });
          case 3:
            return JSON.stringify({ query: '{ pops(first: 20) { totalCount edges { node { popId status } } } }' });
          default:
            return JSON.stringify({ query: 'query($s: ID!) { history(streamId: $s, first: 20) { totalCount } }', variables: { s: `pop-${popId}` } });
        }
      };
      const load = (durationS: number, overallRate?: number) =>
        runLoad({ url: sut.url, path: '/graphql', headers: { authorization: `Bearer ${KEYS.planner}` }, connections: CONNECTIONS, durationS, overallRate, body: next, failure: graphqlFailure });
      const max = await load(MEASURE_S);
      const rate = Math.max(1, Math.floor(max.okPerSecond / 2));
      const windows: Array<{ result: LoadResult; p99: number; rssMb: number }> = [];
      for (let elapsed = 0; elapsed < SOAK_S; elapsed += WINDOW_S) {
        const result = await load(WINDOW_S, rate);
        windows.push({ result, p99: percentile99(result.latenciesMs), rssMb: sut.service.memoryKb().rss / 1024 });
      }
      const [first] = windows;
      const worstP99 = Math.max(...windows.map((w) => w.p99));
      const worstRss = Math.max(...windows.map((w) => w.rssMb));
      const failures = windows.flatMap((w) => Object.entries(w.result.failures).map(([reason, n]) => `${n}× ${reason}`));
      printTable(`Soak: max ${max.okPerSecond.toFixed(0)} req/s closed-loop (${max.failed} failed), then ${rate} req/s for ${SOAK_S} s (${sut.storage.kind})`, ['window', 'answered/s', 'failed', 'p99 ms', 'RSS MB'], [
        ...windows.map((w, i) => [`${i * WINDOW_S}-${(i + 1) * WINDOW_S} s`, w.result.okPerSecond.toFixed(0), w.result.failed, w.p99.toFixed(1), w.rssMb.toFixed(0)]),
      ]);
      assert.deepEqual(failures, []);
      assert.equal(max.failed, 0);
      assert.ok(worstP99 <= Math.max(first.p99 * P99_FACTOR, first.p99 + P99_FLOOR_MS), `p99 went from ${first.p99.toFixed(1)} ms to ${worstP99.toFixed(1)} ms`);
      assert.ok(worstRss <= Math.max(first.rssMb * RSS_FACTOR, first.rssMb + RSS_FLOOR_MB), `RSS went from ${first.rssMb.toFixed(0)} MB to ${worstRss.toFixed(0)} MB`);
    } finally {
      await sut.close();
    }
  });
});
