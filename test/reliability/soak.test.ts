import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { racksFor } from '../support/command-mix';
import { waitForProjections } from '../support/service-client';
import { slotPopBuilder } from '../support/slot-pops';
import { runSoak, SOAK_HEADER, soakFailures, soakMemoryPartRows, soakNotProjected, soakRows } from '../support/soak-load';
import { appendToStorage } from '../support/storage-store';
import { KEYS, printTable, sized, startServiceUnderTest } from './reliability-support';

/**
 * The service at half its measured maximum (test/support/soak-load.ts, shared with the full bench),
 * first through a warm-up, then for a soak of 30-second windows. Absolute: no request fails and no
 * command answers `projected: false` in any phase, the service stays up. Relative, and only to the
 * first settled window (the first after the warm-up): the last window answers at least 95% as many
 * requests per second, its p99 is at most 1.5 times as high, and its memory in use after a full
 * collection at most 20% higher (docs/operations.md, "Targets": soak_throughput_ratio, soak_p99_ratio, soak_rss_growth_ratio).
 */
const MEASURE_S = sized(5, 10);
const WARMUP_S = sized(20, 60);
const WINDOW_S = 30;
const SETTLED_WINDOWS = sized(2, 20);
const CONNECTIONS = 16;
/** Requests per second the slot PoPs are sized for (commands are 2 in 5 requests). */
const MAX_RATE = 2_500;
const THROUGHPUT_RATIO = 0.95;
const P99_RATIO = 1.5;
const RSS_GROWTH_RATIO = 1.2;

describe('reliability: soak at half the measured maximum', { timeout: sized(300_000, 1_800_000) }, () => {
  it(`keeps throughput, p99 latency and memory flat over ${SETTLED_WINDOWS} windows of ${WINDOW_S} s after a ${WARMUP_S} s warm-up`, async () => {
    const pops = Array.from({ length: sized(8, 32) }, (_, i) => `soak${i + 1}`);
    const racks = racksFor(pops.length, MAX_RATE * 0.4, MEASURE_S + WARMUP_S + SETTLED_WINDOWS * WINDOW_S);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('soak', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      const soak = await runSoak({ url: sut.url, pops, racks, measureS: MEASURE_S, warmupS: WARMUP_S, windowS: WINDOW_S, windows: SETTLED_WINDOWS, connections: CONNECTIONS, label: 'soak', databaseUrl: sut.storage.env.DATABASE_URL });
      const health = await fetch(`${sut.url}/health`).then((r) => r.status, () => 0);
      const { max, rate, ratios, settled } = soak;
      const [first] = settled;
      const last = settled[settled.length - 1];
      printTable(`Soak: max ${max.okPerSecond.toFixed(0)} req/s closed-loop (${max.failed} failed), then ${rate} req/s: ${WARMUP_S} s warm-up, ${SETTLED_WINDOWS} × ${WINDOW_S} s (${sut.storage.kind})`, SOAK_HEADER, [
        ...soakRows(soak),
        [`last ÷ first settled (memory: ${soak.memoryMeasure})`, `${ratios.throughput.toFixed(3)} (≥ ${THROUGHPUT_RATIO})`, '', '', `${ratios.p99.toFixed(2)} (≤ ${P99_RATIO})`, '', '', `${ratios.memory.toFixed(2)} (≤ ${RSS_GROWTH_RATIO})`, '', ratios.rss.toFixed(2), ''],
      ]);
      const parts = soakMemoryPartRows(soak);
      printTable('Memory in use after the last full collection, by part', parts.header, parts.rows);
      assert.equal(max.failed, 0);
      assert.deepEqual(soakFailures(soak), []);
      assert.equal(soakNotProjected(soak), 0, 'no command answered projected: false');
      assert.equal(sut.service.exited(), false);
      assert.equal(health, 200);
      assert.ok(ratios.throughput >= THROUGHPUT_RATIO, `answered/s went from ${first.result.okPerSecond.toFixed(1)} to ${last.result.okPerSecond.toFixed(1)}`);
      assert.ok(ratios.p99 <= P99_RATIO, `p99 went from ${first.p99.toFixed(1)} ms to ${last.p99.toFixed(1)} ms`);
      const [from, to] = soak.memoryMeasure === 'after a full collection' ? [first.memoryMb.afterFullGc, last.memoryMb.afterFullGc] : [first.memoryMb.inUse, last.memoryMb.inUse];
      assert.ok(ratios.memory <= RSS_GROWTH_RATIO, `memory in use (${soak.memoryMeasure}) went from ${from.toFixed(0)} MB to ${to.toFixed(0)} MB`);
    } finally {
      await sut.close();
    }
  });
});
