import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandMix, graphqlFailure, racksFor } from '../support/command-mix';
import { runLoad, type LoadResult } from '../support/http-load';
import { waitForProjections } from '../support/service-client';
import { slotPopBuilder } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { KEYS, memorySample, printTable, sized, startServiceUnderTest, type MemorySample } from './reliability-support';

/**
 * The service at half its measured maximum, first through a warm-up (JIT, caches, pools and the
 * heap find their size), then for a soak of 30-second windows. Absolute: no request fails and no
 * command answers `projected: false` in any phase, the service stays up. Relative, and only to the
 * first settled window (the first after the warm-up): the last window answers at least 95% as many
 * requests per second, its p99 is at most 1.5 times as high, and its resident memory at most 20%
 * higher (docs/operations.md, "Targets": soak_throughput_ratio, soak_p99_ratio, soak_rss_growth_ratio).
 *
 * Resident memory is sampled every second from the service's own /metrics, RSS and JS heap in one
 * scrape, and compared as memory in use: RSS less the part of the JS heap that is free, at its
 * lowest in the window (after a collection). Plain RSS keeps rising for minutes while V8 enlarges
 * the heap it reserves (the live heap stays flat), so over a short run it says more about V8's
 * sizing than about a leak; a leak, in the heap or outside it (buffers, native), raises memory in
 * use. Plain RSS is printed beside it.
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
const MEMORY_SAMPLE_MS = 1_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function percentile99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
}

/** Commands that answered `projected: false` (their read-your-writes wait timed out). */
function notProjected(status: number, body: string): boolean {
  if (status !== 200 || !body.includes('"projected":false')) return false;
  const data = (JSON.parse(body) as { data?: Record<string, { projected?: boolean } | null> }).data ?? {};
  return Object.values(data).some((result) => result?.projected === false);
}

interface Window {
  label: string;
  result: LoadResult;
  p99: number;
  /** Memory in use at its lowest in the window, and the median and peak of plain RSS. */
  memoryMb: { inUse: number; rssMedian: number; rssPeak: number };
  notProjected: number;
}

describe('reliability: soak at half the measured maximum', { timeout: sized(300_000, 1_800_000) }, () => {
  it(`keeps throughput, p99 latency and memory flat over ${SETTLED_WINDOWS} windows of ${WINDOW_S} s after a ${WARMUP_S} s warm-up`, async () => {
    const pops = Array.from({ length: sized(8, 32) }, (_, i) => `soak${i + 1}`);
    const racks = racksFor(pops.length, MAX_RATE * 0.4, MEASURE_S + WARMUP_S + SETTLED_WINDOWS * WINDOW_S);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('soak', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      // Reservations start when they are sent: one starting at the soak's start would be checked against every install since, a cost that grows with the run.
      const commands = new CommandMix(pops, racks, 'soak', () => new Date().toISOString());
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
      let stale = 0;
      const load = (durationS: number, overallRate?: number) =>
        runLoad({
          url: sut.url,
          path: '/graphql',
          headers: { authorization: `Bearer ${KEYS.planner}` },
          connections: CONNECTIONS,
          durationS,
          overallRate,
          body: next,
          failure: (status, body) => {
            if (notProjected(status, body)) stale += 1;
            return graphqlFailure(status, body);
          },
        });
      const window = async (label: string, durationS: number, rate: number): Promise<Window> => {
        stale = 0;
        const samples: Array<Promise<MemorySample | null>> = [];
        const sampler = setInterval(() => samples.push(memorySample(sut.url)), MEMORY_SAMPLE_MS);
        const result = await load(durationS, rate).finally(() => clearInterval(sampler));
        const memory = (await Promise.all(samples)).filter((sample): sample is MemorySample => sample !== null);
        const memoryMb = { inUse: Math.min(...memory.map((m) => m.inUseMb)), rssMedian: median(memory.map((m) => m.rssMb)), rssPeak: Math.max(...memory.map((m) => m.rssMb)) };
        return { label, result, p99: percentile99(result.latenciesMs), memoryMb, notProjected: stale };
      };
      const max = await load(MEASURE_S);
      const maxNotProjected = stale;
      const rate = Math.max(1, Math.floor(max.okPerSecond / 2));
      const warmup = await window(`warm-up 0-${WARMUP_S} s`, WARMUP_S, rate);
      const settled: Window[] = [];
      for (let i = 0; i < SETTLED_WINDOWS; i++) settled.push(await window(`${WARMUP_S + i * WINDOW_S}-${WARMUP_S + (i + 1) * WINDOW_S} s`, WINDOW_S, rate));
      const health = await fetch(`${sut.url}/health`).then((r) => r.status, () => 0);
      const [first] = settled;
      const last = settled[settled.length - 1];
      const failures = [warmup, ...settled].flatMap((w) => Object.entries(w.result.failures).map(([reason, n]) => `${w.label}: ${n}× ${reason}`));
      const ratios = {
        throughput: last.result.okPerSecond / first.result.okPerSecond,
        p99: last.p99 / first.p99,
        memory: last.memoryMb.inUse / first.memoryMb.inUse,
      };
      printTable(`Soak: max ${max.okPerSecond.toFixed(0)} req/s closed-loop (${max.failed} failed), then ${rate} req/s: ${WARMUP_S} s warm-up, ${SETTLED_WINDOWS} × ${WINDOW_S} s (${sut.storage.kind})`, ['window', 'answered/s', 'failed', 'projected: false', 'p99 ms', 'memory in use MB', 'RSS MB median / peak'], [
        ...[warmup, ...settled].map((w) => [w.label, w.result.okPerSecond.toFixed(1), w.result.failed, w.notProjected, w.p99.toFixed(1), w.memoryMb.inUse.toFixed(0), `${w.memoryMb.rssMedian.toFixed(0)} / ${w.memoryMb.rssPeak.toFixed(0)}`]),
        [`last ÷ first settled`, `${ratios.throughput.toFixed(3)} (≥ ${THROUGHPUT_RATIO})`, '', '', `${ratios.p99.toFixed(2)} (≤ ${P99_RATIO})`, `${ratios.memory.toFixed(2)} (≤ ${RSS_GROWTH_RATIO})`, (last.memoryMb.rssMedian / first.memoryMb.rssMedian).toFixed(2)],
      ]);
      assert.equal(max.failed, 0);
      assert.deepEqual(failures, []);
      assert.equal(maxNotProjected + [warmup, ...settled].reduce((n, w) => n + w.notProjected, 0), 0, 'no command answered projected: false');
      assert.equal(sut.service.exited(), false);
      assert.equal(health, 200);
      assert.ok(ratios.throughput >= THROUGHPUT_RATIO, `answered/s went from ${first.result.okPerSecond.toFixed(1)} to ${last.result.okPerSecond.toFixed(1)}`);
      assert.ok(ratios.p99 <= P99_RATIO, `p99 went from ${first.p99.toFixed(1)} ms to ${last.p99.toFixed(1)} ms`);
      assert.ok(ratios.memory <= RSS_GROWTH_RATIO, `memory in use went from ${first.memoryMb.inUse.toFixed(0)} MB to ${last.memoryMb.inUse.toFixed(0)} MB`);
    } finally {
      await sut.close();
    }
  });
});
