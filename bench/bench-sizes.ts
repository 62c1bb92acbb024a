import type { StoreSizes } from './event-store-bench';

/** How big each part of a run is. Quick mode must finish in under 5 minutes on a 2-core machine. */
export interface BenchSizes {
  mode: 'quick' | 'full';
  stores: StoreSizes;
  network: { pops: number; years: number; workloads: number };
  /** Per planning query: up to `count` samples within `budgetMs` (at least 20). */
  queries: { count: number; warmup: number; budgetMs: number; residencyRuns: number; throughputSeconds: number };
  longStream: { events: number; commands: number; warmup: number };
  commands: { pops: number; seconds: number; warmupSeconds: number; connections: number };
  procurement: { pops: number; batches: number };
  /**
   * The log the measured rebuild replays: the network's own log when it is big enough (then that
   * rebuild also builds the read models the service starts with), else topped up with a second
   * generated network to this size after the service measurements.
   */
  rebuildEvents: number;
  pglite: { pops: number; seconds: number; warmupSeconds: number };
  /** Command rate without and with one webhook subscription (each `seconds`), then the lag of `lagCommands` sequential commands. */
  outbound: { pops: number; seconds: number; warmupSeconds: number; lagCommands: number };
  /** migrate-events, embedded → PostgreSQL: a generated network written command by command into PGlite. */
  migrate: { pops: number; years: number; workloads: number };
  /** The planning queries measured again on a generated network of this many PoPs; null: not in this mode. */
  largeNetworkPops: number | null;
  /** `rebuild_10m_s`: `pops` copies of a PoP of `eventsPerPop` events, rebuilt; null: not in this mode. */
  rebuild10m: { pops: number; eventsPerPop: number } | null;
  /** The residency CSV of a generated network with enough workloads for about 100,000 rows, downloaded `runs` times. */
  residencyCsv: { pops: number; workloads: number; runs: number };
  /** The service with EVENT_STORE=esdb on the KurrentDB double (a process of its own), read models on PostgreSQL. */
  esdb: { pops: number; seconds: number; warmupSeconds: number };
  /** The soak (test/support/soak-load.ts) on slot PoPs, PostgreSQL service: full bench only (null: not run). */
  soak: { pops: number; measureS: number; warmupS: number; windowS: number; windows: number } | null;
}

/** Commands per second the bench PoPs are sized for (slots must never run out). */
export const MAX_COMMAND_RATE = 4_000;

export const QUICK: BenchSizes = {
  mode: 'quick',
  stores: { streams: 400, events: 8_000, concurrency: 16, rounds: 3 },
  network: { pops: 2_000, years: 3, workloads: 2_500 },
  queries: { count: 300, warmup: 20, budgetMs: 15_000, residencyRuns: 3, throughputSeconds: 5 },
  longStream: { events: 20_000, commands: 60, warmup: 6 },
  commands: { pops: 100, seconds: 10, warmupSeconds: 3, connections: 16 },
  procurement: { pops: 50, batches: 5 },
  rebuildEvents: 100_000,
  pglite: { pops: 50, seconds: 10, warmupSeconds: 3 },
  outbound: { pops: 50, seconds: 8, warmupSeconds: 2, lagCommands: 200 },
  migrate: { pops: 400, years: 3, workloads: 500 },
  esdb: { pops: 50, seconds: 10, warmupSeconds: 3 },
  residencyCsv: { pops: 500, workloads: 24_000, runs: 3 },
  rebuild10m: null,
  largeNetworkPops: null,
  soak: null,
};

export const FULL: BenchSizes = {
  mode: 'full',
  stores: { streams: 2_000, events: 40_000, concurrency: 16, rounds: 2 },
  network: { pops: 2_000, years: 3, workloads: 2_500 },
  queries: { count: 2_000, warmup: 100, budgetMs: 120_000, residencyRuns: 10, throughputSeconds: 20 },
  longStream: { events: 20_000, commands: 300, warmup: 10 },
  commands: { pops: 200, seconds: 30, warmupSeconds: 5, connections: 16 },
  procurement: { pops: 50, batches: 20 },
  rebuildEvents: 1_000_000,
  pglite: { pops: 100, seconds: 30, warmupSeconds: 5 },
  outbound: { pops: 100, seconds: 20, warmupSeconds: 5, lagCommands: 1_000 },
  migrate: { pops: 2_000, years: 3, workloads: 2_500 },
  esdb: { pops: 100, seconds: 30, warmupSeconds: 5 },
  residencyCsv: { pops: 500, workloads: 24_000, runs: 10 },
  rebuild10m: { pops: 10_000, eventsPerPop: 1_000 },
  largeNetworkPops: 10_000,
  // 10 minutes at half the maximum: a 60-s warm-up and 18 windows of 30 s.
  soak: { pops: 32, measureS: 10, warmupS: 60, windowS: 30, windows: 18 },
};
