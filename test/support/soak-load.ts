import { CommandMix, graphqlFailure } from './command-mix';
import { runLoad, type LoadResult } from './http-load';
import { PostgresActivitySampler, type PostgresActivity } from './postgres-activity';
import { KEYS } from './test-app';

/**
 * The soak of the reliability suite and of the full bench (docs/operations.md, "Targets":
 * soak_throughput_ratio, soak_p99_ratio, soak_rss_growth_ratio): the service's closed-loop maximum
 * with a mixed load, then half of it through a warm-up (JIT, caches, pools and the heap find their
 * size) and settled windows. The ratios compare the last window with the first settled one.
 *
 * Resident memory is sampled every second from the service's own /metrics and compared as memory in
 * use right after a full collection (when V8 ran one under load before the first window's end and another
 * after it; else at its lowest in each window) (`popledger_memory_in_use_after_full_gc_bytes`: the JS heap
 * in use as a full collection ends plus the resident memory outside it a second later), as of each window's end. Read at
 * any other moment, memory in use also counts the garbage promoted since the last full collection, which
 * V8 lets grow to a multiple of the live heap before it collects it: between two windows that alone swung
 * the ratio from 0.71 to 1.38 on one build (docs/operations.md, "Long histories and the soak"). A leak, in
 * the heap or outside it (buffers, native), raises it. The lowest memory in use of the window, the full
 * collections in it, and plain RSS (which also follows how much heap V8 reserves) are reported beside it.
 */

export interface SoakOptions {
  url: string;
  /** Slot PoPs (test/support/slot-pops.ts) with `racks` racks each, enough for the whole run. */
  pops: string[];
  racks: number;
  /** Closed-loop measurement of the maximum, then the warm-up and the settled windows, at half of it. */
  measureS: number;
  warmupS: number;
  windowS: number;
  windows: number;
  connections: number;
  /** Command ids are `<label>-…`: unique per run. */
  label: string;
  /** The PostgreSQL server the service uses, if any: its WAL and checkpoints are reported per window. */
  databaseUrl?: string;
}

export interface SoakWindow {
  label: string;
  result: LoadResult;
  p99: number;
  /** p99 of commands and of reads apart (reads by query: capacity, pops, history). */
  p99ByKind: Record<string, number>;
  /** What the PostgreSQL server did meanwhile (null on the embedded default). */
  database: PostgresActivity | null;
  /**
   * Memory in use after the last full collection as of the window's end (NaN before the service's first),
   * memory in use at its lowest in the window, and the median and peak of plain RSS.
   */
  memoryMb: { afterFullGc: number; inUse: number; rssMedian: number; rssPeak: number };
  /** Memory in use after the last full collection as of the window's end, by part. */
  afterFullGcPartsMb: Record<string, number>;
  /** Full collections that ended in the window. */
  fullGcs: number;
  /** Time the service spent in garbage collection during the window, ms: full (major) and young-generation (minor) collections. */
  gcMs: { major: number; minor: number };
  /** Commands that answered `projected: false` (their read-your-writes wait timed out). */
  notProjected: number;
}

export interface SoakResult {
  max: LoadResult;
  maxNotProjected: number;
  /** Requests per second of the warm-up and the windows. */
  rate: number;
  warmup: SoakWindow;
  settled: SoakWindow[];
  /**
   * Last settled window ÷ first: answered/s, p99, memory in use, plain RSS (median). Memory in use is read
   * after a full collection when one ended under load before the first window's end and another after it;
   * else (a run too short or too slow for V8 to collect in full) at its lowest in each window, garbage included.
   */
  ratios: { throughput: number; p99: number; memory: number; rss: number };
  memoryMeasure: 'after a full collection' | 'lowest in the window';
}

export interface MemorySample {
  rssMb: number;
  /** RSS less the JS heap's free part (heap total − heap used). */
  inUseMb: number;
  /** JS heap in use, garbage not yet collected included: its lows over a window come near the live heap. */
  heapUsedMb: number;
  /** Memory in use as the service read it right after its last full collection; NaN before the first. */
  afterFullGcMb: number;
  /** Full collections since the service started. */
  fullGcs: number;
  /** Young-generation collections (scavenges) since the service started. */
  youngGcs: number;
  /** `afterFullGcMb` by part (`popledger_memory_in_use_after_full_gc_part_bytes`): JS heap spaces, external, native rest. */
  afterFullGcPartsMb: Record<string, number>;
  /** Milliseconds spent in garbage collection since the service started, by kind (major, minor, incremental, weakcb). */
  gcMs: Record<string, number>;
}

/**
 * One scrape of the service's /metrics: RSS and the JS heap at the same instant; null if it failed.
 * Memory in use (RSS less the JS heap's free part), at its lowest over a stretch of load, tracks what
 * the service keeps; plain RSS also follows how much heap V8 chose to reserve.
 */
export async function memorySample(url: string): Promise<MemorySample | null> {
  try {
    const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } }).then((r) => r.text());
    const value = (name: string) => Number(new RegExp(`^popledger_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1_048_576;
    const rssMb = value('process_resident_memory_bytes');
    const heapUsedMb = value('nodejs_heap_size_used_bytes');
    const inUseMb = rssMb - (value('nodejs_heap_size_total_bytes') - heapUsedMb);
    const afterFullGcMb = value('memory_in_use_after_full_gc_bytes') || NaN;
    const gcCount = (kind: string) => Number(new RegExp(`^popledger_nodejs_gc_duration_seconds_count\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const [fullGcs, youngGcs] = [gcCount('major'), gcCount('minor')];
    const afterFullGcPartsMb = Object.fromEntries(
      [...text.matchAll(/^popledger_memory_in_use_after_full_gc_part_bytes\{part="([^"]+)"\} (\S+)$/gm)].map(([, part, bytes]) => [part, Number(bytes) / 1_048_576]),
    );
    const gcMs = Object.fromEntries(
      [...text.matchAll(/^popledger_nodejs_gc_duration_seconds_sum\{kind="([^"]+)"\} (\S+)$/gm)].map(([, kind, seconds]) => [kind, Number(seconds) * 1_000]),
    );
    return Number.isFinite(inUseMb) ? { rssMb, inUseMb, heapUsedMb, afterFullGcMb, fullGcs, youngGcs, afterFullGcPartsMb, gcMs } : null;
  } catch {
    return null;
  }
}

const MEMORY_SAMPLE_MS = 1_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function percentile99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
}

/** Reads are named by their query (the first field of the answer); anything else answers a command. */
function requestKind(body: string): string {
  return /^\{"data":\{"(capacity|pops|history)"/.exec(body)?.[1] ?? 'command';
}

function notProjected(status: number, body: string): boolean {
  if (status !== 200 || !body.includes('"projected":false')) return false;
  const data = (JSON.parse(body) as { data?: Record<string, { projected?: boolean } | null> }).data ?? {};
  return Object.values(data).some((result) => result?.projected === false);
}

/** Runs the soak; it throws only when the load itself cannot run (failures are counted per window). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { url, pops, racks, connections } = options;
  // Reservations start when they are sent, as planners' do.
  const commands = new CommandMix(pops, racks, options.label, () => new Date().toISOString());
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
      url,
      path: '/graphql',
      headers: { authorization: `Bearer ${KEYS.planner}` },
      connections,
      durationS,
      overallRate,
      body: next,
      kind: requestKind,
      failure: (status, body) => {
        if (notProjected(status, body)) stale += 1;
        return graphqlFailure(status, body);
      },
    });
  const database = options.databaseUrl ? await PostgresActivitySampler.connect(options.databaseUrl) : null;
  const window = async (label: string, durationS: number, rate: number): Promise<SoakWindow> => {
    stale = 0;
    const samples: Array<Promise<MemorySample | null>> = [];
    const sampler = setInterval(() => samples.push(memorySample(url)), MEMORY_SAMPLE_MS);
    const loaded = load(durationS, rate).finally(() => clearInterval(sampler));
    const { value: result, activity } = database ? await database.around(loaded) : { value: await loaded, activity: null };
    const memory = (await Promise.all(samples)).filter((sample): sample is MemorySample => sample !== null);
    const [start, end] = [memory[0], memory[memory.length - 1]];
    const memoryMb = {
      afterFullGc: end?.afterFullGcMb ?? NaN,
      inUse: Math.min(...memory.map((m) => m.inUseMb)),
      rssMedian: median(memory.map((m) => m.rssMb)),
      rssPeak: Math.max(...memory.map((m) => m.rssMb)),
    };
    const fullGcs = start && end ? end.fullGcs - start.fullGcs : 0;
    const gcSpent = (kind: string) => (start && end ? (end.gcMs[kind] ?? 0) - (start.gcMs[kind] ?? 0) : NaN);
    const gcMs = { major: gcSpent('major'), minor: gcSpent('minor') };
    const p99ByKind = Object.fromEntries(Object.entries(result.latenciesByKindMs).map(([kind, ms]) => [kind, percentile99(ms)]));
    return { label, result, p99: percentile99(result.latenciesMs), p99ByKind, database: activity, memoryMb, afterFullGcPartsMb: end?.afterFullGcPartsMb ?? {}, fullGcs, gcMs, notProjected: stale };
  };
  const { warmupS, windowS } = options;
  let max: LoadResult;
  let maxNotProjected: number;
  let rate: number;
  let warmup: SoakWindow;
  const settled: SoakWindow[] = [];
  try {
    max = await load(options.measureS);
    maxNotProjected = stale;
    rate = Math.max(1, Math.floor(max.okPerSecond / 2));
    warmup = await window(`warm-up 0-${warmupS} s`, warmupS, rate);
    for (let i = 0; i < options.windows; i++) settled.push(await window(`${warmupS + i * windowS}-${warmupS + (i + 1) * windowS} s`, windowS, rate));
  } finally {
    await database?.close();
  }
  const [first] = settled;
  const last = settled[settled.length - 1];
  const afterFullGc = warmup.fullGcs + first.fullGcs > 0 && settled.slice(1).some((w) => w.fullGcs > 0);
  const ratios = {
    throughput: last.result.okPerSecond / first.result.okPerSecond,
    p99: last.p99 / first.p99,
    memory: afterFullGc ? last.memoryMb.afterFullGc / first.memoryMb.afterFullGc : last.memoryMb.inUse / first.memoryMb.inUse,
    rss: last.memoryMb.rssMedian / first.memoryMb.rssMedian,
  };
  return { max, maxNotProjected, rate, warmup, settled, ratios, memoryMeasure: afterFullGc ? 'after a full collection' : 'lowest in the window' };
}

/** Failures of every phase, as `<window>: <n>× <reason>`. */
export function soakFailures(soak: SoakResult): string[] {
  return [soak.warmup, ...soak.settled].flatMap((w) => Object.entries(w.result.failures).map(([reason, n]) => `${w.label}: ${n}× ${reason}`));
}

/** Commands that answered `projected: false` in any phase. */
export function soakNotProjected(soak: SoakResult): number {
  return soak.maxNotProjected + [soak.warmup, ...soak.settled].reduce((n, w) => n + w.notProjected, 0);
}

/** The rows of a table of the windows: label, answered/s, failed, projected: false, p99 (all, and by kind), what PostgreSQL did, memory in use after a full collection and lowest, RSS, time in garbage collection. */
export function soakRows(soak: SoakResult): string[][] {
  return [soak.warmup, ...soak.settled].map((w) => [
    w.label,
    w.result.okPerSecond.toFixed(1),
    String(w.result.failed),
    String(w.notProjected),
    w.p99.toFixed(1),
    ['command', 'capacity', 'pops', 'history'].map((kind) => (w.p99ByKind[kind] ?? NaN).toFixed(1)).join(' / '),
    w.database ? databaseCell(w.database) : '',
    `${w.memoryMb.afterFullGc.toFixed(0)} (${w.fullGcs})`,
    w.memoryMb.inUse.toFixed(0),
    `${w.memoryMb.rssMedian.toFixed(0)} / ${w.memoryMb.rssPeak.toFixed(0)}`,
    `${w.gcMs.major.toFixed(0)} / ${w.gcMs.minor.toFixed(0)}`,
  ]);
}

/** WAL written, and seconds the checkpointer was seen writing / syncing (and checkpoints that ended, with their write and sync time). */
function databaseCell(d: PostgresActivity): string {
  const ended = d.checkpointsEnded > 0 ? `; ${d.checkpointsEnded} ended (${(d.checkpointWriteMs / 1_000).toFixed(0)} s write, ${d.checkpointSyncMs.toFixed(0)} ms sync)` : '';
  return `${d.walMb.toFixed(0)} MB, ${d.checkpointWritingS} / ${d.checkpointSyncingS} s${ended}`;
}

/**
 * Memory in use after a full collection by part, one row per part with a column per window: which part
 * grows (the JS heap's old space with what the service keeps, code, external buffers, native memory).
 */
export function soakMemoryPartRows(soak: SoakResult): { header: string[]; rows: string[][] } {
  const windows = [soak.warmup, ...soak.settled];
  const parts = [...new Set(windows.flatMap((w) => Object.keys(w.afterFullGcPartsMb)))].sort();
  const rows = parts.map((part) => [part, ...windows.map((w) => (w.afterFullGcPartsMb[part] ?? NaN).toFixed(1))]);
  return { header: ['MB after full GC', ...windows.map((w) => w.label)], rows };
}

export const SOAK_HEADER = ['window', 'answered/s', 'failed', 'projected: false', 'p99 ms', 'p99 ms command / capacity / pops / history', 'PostgreSQL: WAL, checkpointer writing / syncing', 'in use after full GC MB (full GCs)', 'lowest in use MB', 'RSS MB median / peak', 'GC ms full / young'];
