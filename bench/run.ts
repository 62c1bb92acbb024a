import 'reflect-metadata';
import { join } from 'node:path';
import { NetworkGenerator } from '../src/tools/seed/network-generator.seed';
import { BENCH_PROVENANCE, benchNetworks } from './bench-networks';
import { DAY, YEAR, dayStartOf } from '../src/tools/seed/seed-time.util';
import { CommandMix, racksFor } from '../test/support/command-mix';
import { runSoak, SOAK_HEADER, soakFailures, soakMemoryPartRows, soakNotProjected, soakRows } from '../test/support/soak-load';
import { waitForProjections } from '../test/support/service-client';
import { startServiceProcess } from '../test/support/service-process';
import { createServiceStorage, withClient, type ServiceStorage } from '../test/support/service-storage';
import { appendToStorage, chain, openStorageStore } from '../test/support/storage-store';
import { API_KEYS, KEYS } from '../test/support/test-app';
import { benchPop, longStreamPop } from './bench-pops';
import { FULL, MAX_COMMAND_RATE, QUICK, type BenchSizes } from './bench-sizes';
import { describeCpu, describeFailures, measureCommands } from './command-load';
import { consoleScriptKb, measureConsoleNetworkView } from './console-bench';
import { compareEventStores } from './event-store-bench';
import { machineInfo } from './machine';
import { measureBackdated, measureLongStream } from './long-stream-bench';
import { measureOutbound } from './outbound-bench';
import { measureMigrate, startDoubleProcess } from './migrate-bench';
import { measureProcurement, procurementRacksFor, ProcurementRecords } from './procurement-bench';
import { measureCapacityThroughput, measureQuery, measureResidencyReport, type PlanningQuery } from './query-bench';
import { measureRebuild } from './rebuild-bench';
import { measureResidencyCsv } from './residency-csv-bench';
import { seedPopCopies } from './large-log-seed';
import { measureScenarioEvaluation } from './scenario-bench';
import { BenchResults, type MetricName } from './results';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** The load comes with one key: the per-key limit stays on (its cost is measured) but is never reached. */
const BENCH_RATE_LIMIT = '1000000';
/** The build's output directory (<out>/bench/run.js): the service and the rebuild CLI are next to it. */
const OUT_DIR = join(__dirname, '..');
const RESULTS_FILE = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');
const REBUILD_METRICS: MetricName[] = ['rebuild_events_per_s_pg', 'rebuild_peak_rss_mb'];

/**
 * `npm run bench [-- --quick]`: every metric of docs/operations.md, "Performance" in one run, on the PostgreSQL
 * server (DATABASE_URL; each part in a fresh schema, dropped at the end) and on PGlite (a temporary
 * DATA_DIR). The service runs as a separate process (node <out>/src/main.js), loaded over loopback
 * HTTP. Prints a table and writes bench/results/latest.json.
 */
async function main(): Promise<void> {
  const sizes = process.argv.includes('--quick') ? QUICK : FULL;
  // `--only=pglite` (or console, stores, postgres, queries10k, rebuild10m, csv, history, soak, outbound, migrate, esdb; comma-separated): run some sections, e.g. while tuning one.
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const wanted = (name: string) => !only || only.includes(name);
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const machine = await machineInfo(databaseUrl);
  const results = new BenchResults(sizes.mode);
  const started = performance.now();
  console.log(`bench (${sizes.mode}): ${machine.cpus} CPUs, ${machine.memoryMb} MB, Node ${machine.node}, load average ${machine.loadAverage}\n${machine.pg ?? 'PostgreSQL not reachable'}`);
  const storages: ServiceStorage[] = [];
  const storage = async (kind: 'postgres' | 'pglite', label: string) => {
    const created = await createServiceStorage(kind, databaseUrl, label);
    storages.push(created);
    return created;
  };
  try {
    if (wanted('console')) {
      await section(results, 'console script size', ['console_js_gzip_kb'], async () => {
        const size = await consoleScriptKb(join(OUT_DIR, 'web'));
        results.record('console_js_gzip_kb', size.kb, `${size.files} file(s), ${Math.round(size.rawKb)} KB minified, gzip level 9`);
      });
    }
    if (wanted('stores')) await section(results, 'event stores: ours, Emmett, raw INSERT', ['append_vs_emmett_ratio', 'read_vs_emmett_ratio', 'append_fraction_of_raw_insert'], () =>
      storeComparison(results, databaseUrl, sizes),
    );
    if (wanted('postgres')) {
      const network = await storage('postgres', 'bench_net');
      await section(results, 'PostgreSQL service', [...SERVICE_METRICS, ...REBUILD_METRICS], () => serviceOnPostgres(results, network, sizes));
      if (results.metrics.rebuild_events_per_s_pg.value === null) {
        await section(results, `rebuild of a ${sizes.rebuildEvents.toLocaleString('en')}-event log`, REBUILD_METRICS, () => rebuildLargeLog(results, network, sizes));
      }
    }
    if (wanted('rebuild10m')) {
      const large = sizes.rebuild10m;
      if (large) {
        await section(results, `rebuild of ${large.pops.toLocaleString('en')} PoPs, ${(large.pops * large.eventsPerPop).toLocaleString('en')} events`, REBUILD_10M_METRICS, async () =>
          rebuildTenMillion(results, await storage('postgres', 'bench_10m'), large),
        );
      } else for (const name of REBUILD_10M_METRICS) results.skip(name, 'full bench only (npm run bench)');
    }
    if (wanted('queries10k')) {
      const pops = sizes.largeNetworkPops;
      if (pops) await section(results, `planning queries on ${pops.toLocaleString('en')} PoPs (PostgreSQL service)`, PLANNING_METRICS, async () => queriesOnLargeNetwork(results, await storage('postgres', 'bench_10k'), pops, sizes));
      else console.log(`\n• planning queries on the larger network: full bench only`);
    }
    if (wanted('csv')) await section(results, 'residency CSV (PostgreSQL service)', ['residency_csv_100k_ms'], async () => residencyCsv(results, await storage('postgres', 'bench_csv'), sizes));
    if (wanted('history')) {
      await section(results, 'PoPs with a long history (PostgreSQL service)', HISTORY_METRICS, async () => history(results, await storage('postgres', 'bench_history'), sizes));
    }
    if (wanted('soak')) {
      const soakSizes = sizes.soak;
      if (soakSizes) {
        await section(results, 'soak at half the maximum (PostgreSQL service)', SOAK_METRICS, async () => soak(results, await storage('postgres', 'bench_soak'), soakSizes));
      } else for (const name of SOAK_METRICS) results.skip(name, 'full bench only (npm run bench)');
    }
    if (wanted('pglite')) await section(results, 'PGlite service', ['commands_per_s_pglite', 'commands_not_projected'], async () => serviceOnPglite(results, await storage('pglite', 'bench_pglite'), sizes));
    if (wanted('outbound')) await section(results, 'outbound webhooks (PostgreSQL service)', OUTBOUND_METRICS, async () => outbound(results, await storage('postgres', 'bench_out'), sizes));
    if (wanted('migrate')) {
      await section(results, 'migrate-events: embedded → PostgreSQL', ['migrate_events_per_s'], async () =>
        migrateToPostgres(results, await storage('pglite', 'bench_migrate_from'), await storage('postgres', 'bench_migrate_to'), sizes),
      );
    }
    if (wanted('esdb')) {
      await section(results, 'EventStoreDB service: the KurrentDB double of the tests, not a real server', ['commands_per_s_esdb'], async () =>
        serviceOnKurrentDbDouble(results, await storage('postgres', 'bench_esdb'), sizes),
      );
    }
  } finally {
    for (const created of storages.reverse()) await created.dispose().catch((error: Error) => console.error(`cleanup: ${error.message}`));
  }
  const durationS = Math.round((performance.now() - started) / 1000);
  const { loadAverage } = await machineInfo(undefined);
  console.log(`\n${results.table()}\n\n${sizes.mode} run in ${durationS} s (load average ${machine.loadAverage} at the start, ${loadAverage} at the end); results in ${RESULTS_FILE}`);
  await results.write(RESULTS_FILE, { ...machine, loadAverageAtEnd: loadAverage }, { durationS, finishedAt: new Date().toISOString(), sizes });
}

const PLANNING_METRICS: MetricName[] = ['capacity_p99_ms', 'capacity_racks_p99_ms', 'capacity_queries_per_s_16', 'find_capacity_p99_ms', 'cost_summary_p99_ms'];

/**
 * The planning queries' metrics on a started service: `record` on the first network, `recordAgain` on
 * a larger one (the worse figure counts). The 40-rack PoP must be in the network.
 */
async function measurePlanningQueries(results: BenchResults, url: string, popIds: string[], scale: string, sizes: BenchSizes, how: 'record' | 'recordAgain'): Promise<void> {
  const record = (name: MetricName, value: number, note: string) => results[how](name, value, note);
  const queryMetrics: Record<PlanningQuery, MetricName> = { capacity: 'capacity_p99_ms', capacityRacks: 'capacity_racks_p99_ms', findCapacity: 'find_capacity_p99_ms', costSummary: 'cost_summary_p99_ms' };
  for (const [query, metric] of Object.entries(queryMetrics) as Array<[PlanningQuery, MetricName]>) {
    await part(results, [metric], async () => {
      const q = await measureQuery(url, KEYS.planner, query, query === 'capacityRacks' ? [RACKS_POP] : popIds, sizes.queries);
      const on = query === 'capacityRacks' ? `the 40-rack PoP ${RACKS_POP}` : scale;
      record(metric, q.p99, `${q.n} sequential queries with the lean client, p50 ${q.p50.toFixed(2)} ms, max ${q.max.toFixed(1)} ms; ${on}`);
    });
  }
  await part(results, ['capacity_queries_per_s_16'], async () => {
    const t = await measureCapacityThroughput(url, KEYS.planner, popIds, 16, sizes.queries.throughputSeconds);
    record('capacity_queries_per_s_16', t.perS, `${t.answered} capacity queries answered in ${sizes.queries.throughputSeconds} s by 16 lean clients at once; ${scale}`);
  });
}

/** A larger generated network (PoPs only, with the reference data and the 40-rack PoP): the planning queries again; the worse figure counts. */
async function queriesOnLargeNetwork(results: BenchResults, storage: ServiceStorage, pops: number, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const generator = benchNetworks.largeNetwork(pops, now);
  const started = performance.now();
  await appendToStorage(storage, chain(generator.popStreams(), [benchPop(RACKS_POP, 40, 0, now - 60 * DAY)]), generator.referenceStreams());
  const scale = `${generator.stats.pops} PoPs, ${generator.stats.devices} devices`;
  console.log(`  seeded ${scale}: ${generator.stats.events} events in ${seconds(started)} s`);
  await settle(storage);
  await measureRebuild(OUT_DIR, storage.env);
  await settle(storage);
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    await measurePlanningQueries(results, service.url, generator.summaries.map((summary) => summary.popId), scale, sizes, 'recordAgain');
  } finally {
    await service.stop();
  }
}

/** A slot PoP with 40 racks: the `capacity_racks_p99_ms` target. */
const RACKS_POP = 'racks40';

const SERVICE_METRICS: MetricName[] = [
  'capacity_p99_ms',
  'capacity_racks_p99_ms',
  'capacity_queries_per_s_16',
  'find_capacity_p99_ms',
  'cost_summary_p99_ms',
  'residency_report_ms',
  'scenario_eval_p99_ms',
  'commands_per_s_pg',
  'command_p99_ms_pg',
  'commands_not_projected',
  'procurement_records_per_s',
  'console_network_view_ms',
];

async function storeComparison(results: BenchResults, databaseUrl: string, sizes: BenchSizes): Promise<void> {
  const c = await compareEventStores(databaseUrl, sizes.stores);
  const shape = `${sizes.stores.streams} streams, ${sizes.stores.events} single-event appends by ${sizes.stores.concurrency} concurrent callers, best of ${sizes.stores.rounds}`;
  results.record('append_vs_emmett_ratio', c.oursAppendPerS / c.emmettAppendPerS, `ours ${Math.round(c.oursAppendPerS)} vs Emmett ${Math.round(c.emmettAppendPerS)} events/s; ${shape}`);
  results.record('read_vs_emmett_ratio', c.oursReadPerS / c.emmettReadPerS, `ours ${Math.round(c.oursReadPerS)} vs Emmett ${Math.round(c.emmettReadPerS)} events/s; every stream read back by ${sizes.stores.concurrency} concurrent readers after one untimed pass`);
  results.record('append_fraction_of_raw_insert', c.oursAppendPerS / c.rawInsertPerS, `raw batched INSERT (1,000 rows per statement, 4 connections) ${Math.round(c.rawInsertPerS)} events/s`);
}

/**
 * The generated network (2,000 PoPs, ~100k devices, workloads, policies, FX) plus slot PoPs for the
 * load, seeded straight into the store; the read models built by a rebuild (measured when the log is
 * as big as the run's rebuild target); then the service started on it and every HTTP metric measured.
 */
async function serviceOnPostgres(results: BenchResults, network: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const generator = benchNetworks.postgres(sizes.network, now);
  const liveAt = now - 60 * DAY;
  const loadPops = ids('load', sizes.commands.pops);
  const loadRacks = racksFor(loadPops.length, MAX_COMMAND_RATE, sizes.commands.seconds + sizes.commands.warmupSeconds);
  const procurementPops = ids('proc', sizes.procurement.pops);
  const procurementRacks = procurementRacksFor(procurementPops.length, (sizes.procurement.batches + 1) * 1_000);
  function* slotPops() {
    for (const [i, popId] of loadPops.entries()) yield benchPop(popId, loadRacks, i, liveAt);
    for (const [i, popId] of procurementPops.entries()) yield benchPop(popId, procurementRacks, i, liveAt);
    yield benchPop(RACKS_POP, 40, 0, liveAt);
  }
  const seedStarted = performance.now();
  const store = await openStorageStore(network);
  let events: number;
  try {
    await store.append(chain(generator.popStreams(), slotPops()), generator.referenceStreams(), generator.workloadStreams());
    events = await store.eventCount();
  } finally {
    await store.close();
  }
  const scale = `${generator.stats.pops} PoPs, ${generator.stats.devices} devices, ${generator.stats.workloads} workloads`;
  console.log(`  seeded ${scale}: ${events} events with the slot PoPs, in ${seconds(seedStarted)} s`);
  await settle(network);
  // Without it (a failed rebuild), the service builds its read models itself when it starts.
  await part(results, REBUILD_METRICS, async () => {
    const rebuilt = await measureRebuild(OUT_DIR, network.env);
    console.log(`  read models rebuilt: ${rebuilt.events} events in ${rebuilt.wallSeconds.toFixed(1)} s`);
    if (events >= sizes.rebuildEvents) recordRebuild(results, rebuilt, sizes, `the benchmark network's log`);
  });

  await settle(network);
  const service = await startServiceProcess({ env: { ...network.env, API_KEYS, RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    const { url } = service;
    const popIds = generator.summaries.map((s) => s.popId);
    await measurePlanningQueries(results, url, popIds, scale, sizes, 'record');
    await part(results, ['console_network_view_ms'], async () => {
      const v = await measureConsoleNetworkView(url, KEYS.viewer, 5);
      results.record('console_network_view_ms', v.median, `median of ${v.loads.length} loads after a warm-up (${v.loads.map((ms) => Math.round(ms)).join(', ')} ms; the answers were in at ${v.data.map((ms) => Math.round(ms)).join(', ')} ms), ${v.rows} PoPs in the table and on the map, headless Chromium at 1280×800`);
    });
    await part(results, ['residency_report_ms'], async () => {
      const r = await measureResidencyReport(url, KEYS.compliance, sizes.queries.residencyRuns);
      results.record('residency_report_ms', r.ms.p50, `median of ${r.ms.n} whole reports (max ${r.ms.max.toFixed(0)} ms), ${r.rows} rows with evidence; the first, not kept: ${r.firstMs.toFixed(0)} ms`);
    });
    await part(results, ['scenario_eval_p99_ms'], async () => {
      const e = await measureScenarioEvaluation(url, KEYS.planner, generator.summaries, sizes.queries);
      results.record('scenario_eval_p99_ms', e.p99, `${e.n} sequential evaluations of a ${e.steps}-step plan over ${e.pops} PoPs (${e.accepted} accepted) with impact, p50 ${e.p50.toFixed(2)} ms; ${scale}`);
    });
    await part(results, ['commands_per_s_pg', 'command_p99_ms_pg', 'commands_not_projected'], async () => {
      const mix = new CommandMix(loadPops, loadRacks, 'pg', new Date(now).toISOString());
      const c = await measureCommands(url, KEYS.planner, mix, sizes.commands.seconds, sizes.commands.warmupSeconds, sizes.commands.connections, service.pid);
      const failures = describeFailures(c);
      results.record('commands_per_s_pg', c.perS, `${c.ok} accepted in ${sizes.commands.seconds} s, ${sizes.commands.connections} clients, installDevice/reserveCapacity over ${loadPops.length} PoPs, read-your-writes on${describeCpu(c)}${failures ? `; ${failures}` : ''}`);
      results.record('command_p99_ms_pg', c.p99Ms, `p50 ${c.p50Ms.toFixed(1)} ms`);
      countNotProjected(results, 'PostgreSQL', c.notProjected);
    });
    await part(results, ['procurement_records_per_s'], async () => {
      const records = new ProcurementRecords(procurementPops, 'pb', new Date(now - DAY).toISOString());
      const p = await measureProcurement(url, KEYS.procurement, records, sizes.procurement.batches);
      const problems = p.problems.length ? `; ${p.problems.slice(0, 3).join('; ')}` : '';
      results.record('procurement_records_per_s', p.perS, `${sizes.procurement.batches} sequential batches of 1,000 over ${procurementPops.length} PoPs, ${p.accepted} accepted${problems}`);
    });
  } finally {
    const code = await service.stop();
    if (code !== 0 && code !== null) console.log(`  service exited with ${code}:\n${service.output().slice(-1_000)}`);
  }
}

/**
 * After a bulk load (seconds old, unlike any production log), the server's own upkeep of it:
 * VACUUM ANALYZE of the schema's tables and a checkpoint, which autovacuum and the checkpointer
 * would otherwise run in the middle of the next measurement.
 */
async function settle(storage: ServiceStorage): Promise<void> {
  if (storage.kind !== 'postgres') return;
  const started = performance.now();
  await withClient(storage.env.DATABASE_URL, async (client) => {
    const { rows } = await client.query<{ name: string }>(`SELECT format('%I', tablename) AS name FROM pg_tables WHERE schemaname = current_schema()`);
    if (rows.length > 0) await client.query(`VACUUM (ANALYZE) ${rows.map((row) => row.name).join(', ')}`);
    await client.query('CHECKPOINT');
  });
  console.log(`  settled (VACUUM ANALYZE, CHECKPOINT) in ${seconds(started)} s`);
}

/** Tops the network's log up to the target size (if short) with a second generated network, then rebuilds it (a child process). */
async function rebuildLargeLog(results: BenchResults, network: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const store = await openStorageStore(network);
  try {
    const events = await store.eventCount();
    if (events < sizes.rebuildEvents) {
      const topUp = new NetworkGenerator({ pops: 1_000_000, years: 3, seed: 2, endMs: dayStartOf(Date.now()), idPrefix: 'x', maxPopEvents: sizes.rebuildEvents - events, provenance: BENCH_PROVENANCE });
      const started = performance.now();
      await store.append(topUp.popStreams());
      console.log(`  topped up with ${topUp.stats.pops} PoPs, ${topUp.stats.events} events in ${seconds(started)} s`);
    }
  } finally {
    await store.close();
  }
  await settle(network);
  recordRebuild(results, await measureRebuild(OUT_DIR, network.env), sizes, 'the benchmark network topped up with a second generated network');
}

function recordRebuild(results: BenchResults, r: Awaited<ReturnType<typeof measureRebuild>>, sizes: BenchSizes, log: string): void {
  const target = `${sizes.rebuildEvents.toLocaleString('en')}-event target of ${sizes.mode} mode`;
  results.record('rebuild_events_per_s_pg', r.eventsPerS, `${r.events} events (${log}; ${target}) replayed into every projection by the rebuild CLI; ${r.wallSeconds.toFixed(1)} s wall clock with process start-up`);
  results.record('rebuild_peak_rss_mb', r.peakRssMb, `VmHWM of the rebuild process over ${r.events} events`);
}

/** `commands_not_projected` sums the answers with `projected: false` of every measured command run (PostgreSQL and PGlite). */
function countNotProjected(results: BenchResults, store: string, notProjected: number): void {
  const { value, note, status } = results.metrics.commands_not_projected;
  const counted = status === 'not measured' ? [] : [note];
  results.record('commands_not_projected', (value ?? 0) + notProjected, [...counted, `${notProjected} of the ${store} run`].join('; '));
}

/** A generated network with about 100,000 residency rows, its read models rebuilt, then the CSV downloaded. */
async function residencyCsv(results: BenchResults, storage: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const generator = benchNetworks.residencyCsv(sizes.residencyCsv);
  const started = performance.now();
  await appendToStorage(storage, generator.popStreams(), generator.referenceStreams(), generator.workloadStreams());
  console.log(`  seeded ${generator.stats.pops} PoPs, ${generator.stats.workloads} workloads, ${generator.stats.events} events in ${seconds(started)} s`);
  await settle(storage);
  await measureRebuild(OUT_DIR, storage.env);
  await settle(storage);
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    const c = await measureResidencyCsv(service.url, KEYS.compliance, sizes.residencyCsv.runs, () => service.memoryKb().rss);
    const rss = `service RSS ${c.rssMb.before.toFixed(0)} MB before, at most ${c.rssMb.max.toFixed(0)} MB during, ${c.rssMb.after.toFixed(0)} MB after the downloads`;
    const size = `${c.rows.toLocaleString('en')} rows (${(c.bytes / 2 ** 20).toFixed(1)} MB)`;
    if (c.rows < 100_000) throw new Error(`the report has ${size}, fewer than the metric's 100,000: give the network more workloads`);
    results.record('residency_csv_100k_ms', c.ms.p50, `median of ${c.ms.n} whole downloads of ${size}, to the last byte, one kept-alive connection (max ${c.ms.max.toFixed(0)} ms); ${rss}`);
  } finally {
    await service.stop();
  }
}

const REBUILD_10M_METRICS: MetricName[] = ['rebuild_10m_s', 'rebuild_10m_peak_rss_mb'];

/**
 * Seeds `pops` PoPs of `eventsPerPop` events each (a slot PoP with a long device churn, copied by the
 * server: large-log-seed.ts), then rebuilds every projection from them (the rebuild CLI, a child process).
 * The schema is dropped at the end of the run like every other.
 */
async function rebuildTenMillion(results: BenchResults, storage: ServiceStorage, { pops, eventsPerPop }: { pops: number; eventsPerPop: number }): Promise<void> {
  const now = Date.now();
  const started = performance.now();
  let seeded = 0;
  await seedPopCopies(storage, longStreamPop('big', eventsPerPop, now - 2 * YEAR, now), pops, (events) => {
    seeded += events;
    process.stdout.write(`\r  seeding: ${seeded.toLocaleString('en')} events copied in ${seconds(started)} s`);
  });
  const seeding = seconds(started);
  console.log('');
  await settle(storage);
  const r = await measureRebuild(OUT_DIR, storage.env);
  const log = `${r.events.toLocaleString('en')} events of ${pops.toLocaleString('en')} PoPs (a slot PoP with ${eventsPerPop} events of device churn, copied; seeded in ${seeding} s)`;
  results.record('rebuild_10m_s', r.wallSeconds, `${log}, wall clock of the rebuild CLI with process start-up; ${Math.round(r.eventsPerS).toLocaleString('en')} events/s as it reports`);
  results.record('rebuild_10m_peak_rss_mb', r.peakRssMb, `VmHWM of the rebuild process over ${r.events.toLocaleString('en')} events`);
}

async function serviceOnPglite(results: BenchResults, pglite: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const pops = ids('load', sizes.pglite.pops);
  const racks = racksFor(pops.length, MAX_COMMAND_RATE, sizes.pglite.seconds + sizes.pglite.warmupSeconds);
  await appendToStorage(pglite, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
  const service = await startServiceProcess({ env: { ...pglite.env, API_KEYS, RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    const mix = new CommandMix(pops, racks, 'pgl', new Date(now).toISOString());
    const c = await measureCommands(service.url, KEYS.planner, mix, sizes.pglite.seconds, sizes.pglite.warmupSeconds, undefined, service.pid);
    const failures = describeFailures(c);
    results.record('commands_per_s_pglite', c.perS, `${c.ok} accepted in ${sizes.pglite.seconds} s, 16 clients, p50 ${c.p50Ms.toFixed(1)} ms, p99 ${c.p99Ms.toFixed(1)} ms, read-your-writes on${describeCpu(c)}${failures ? `; ${failures}` : ''}`);
    countNotProjected(results, 'PGlite', c.notProjected);
  } finally {
    await service.stop();
  }
}

const HISTORY_METRICS: MetricName[] = ['long_stream_command_ratio', 'backdated_command_ratio'];

/**
 * Two PoPs whose streams hold `sizes.longStream.events` events (device churn on rack r1, hourly from
 * two years ago) and two fresh ones with the same layout, on a schema of their own: commands at the
 * end of the long stream, then commands effective before all of its history, each against the same
 * commands on a fresh PoP (p50 over the lean client).
 */
async function history(results: BenchResults, storage: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const liveAt = now - 2 * YEAR;
  const { events, commands, warmup } = sizes.longStream;
  await appendToStorage(storage, [
    longStreamPop('long1', events, liveAt, now),
    benchPop('fresh1', 1, 0, liveAt),
    longStreamPop('back1', events, liveAt, now, 2),
    benchPop('fresh2', 2, 0, liveAt),
  ]);
  await settle(storage);
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    await part(results, ['long_stream_command_ratio'], async () => {
      const l = await measureLongStream(service.url, KEYS.planner, 'long1', 'fresh1', commands, warmup);
      results.record('long_stream_command_ratio', l.ratio, `p50 ${l.longP50.toFixed(2)} ms on a ${events}-event PoP vs ${l.freshP50.toFixed(2)} ms on a fresh one, ${commands} commands each, lean client`);
    });
    await part(results, ['backdated_command_ratio'], async () => {
      // The churn starts an hour after the PoP went live: every back-dated command precedes all of it.
      const b = await measureBackdated(service.url, KEYS.planner, 'back1', 'fresh2', liveAt + 60_000, commands, warmup);
      results.record(
        'backdated_command_ratio',
        b.ratio,
        `p50 ${b.longP50.toFixed(2)} ms effective before ${events} events of history vs ${b.freshP50.toFixed(2)} ms at the end of a fresh PoP; installDevice, removeDevice and an open-ended reserveCapacity in turn, ${commands} commands each, lean client`,
      );
    });
  } finally {
    await service.stop();
  }
}

const SOAK_METRICS: MetricName[] = ['soak_throughput_ratio', 'soak_p99_ratio', 'soak_rss_growth_ratio'];

/**
 * The reliability suite's soak (test/support/soak-load.ts) for 10 minutes: slot PoPs on a fresh schema, the
 * closed-loop maximum of the mixed load (2 in 5 requests are commands), then half of it. Failed requests or
 * `projected: false` answers fail the section.
 */
async function soak(results: BenchResults, storage: ServiceStorage, sizes: NonNullable<BenchSizes['soak']>): Promise<void> {
  console.log(`    ${SOAK_HEADER.join(' | ')}`);
  const pops = ids('soak', sizes.pops);
  // Commands are 2 in 5 requests; the slots are sized for the maximum rate all along.
  const racks = racksFor(pops.length, MAX_COMMAND_RATE * 0.4, sizes.measureS + sizes.warmupS + sizes.windows * sizes.windowS);
  await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, Date.now() - 60 * DAY)));
  await settle(storage);
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: BENCH_RATE_LIMIT } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    const { measureS, warmupS, windowS, windows } = sizes;
    const s = await runSoak({ url: service.url, pops, racks, measureS, warmupS, windowS, windows, connections: 16, label: 'bsoak', databaseUrl: storage.env.DATABASE_URL });
    for (const row of soakRows(s)) console.log(`    ${row.join(' | ')}`);
    const parts = soakMemoryPartRows(s);
    for (const row of [parts.header, ...parts.rows]) console.log(`    ${row.join(' | ')}`);
    const failures = soakFailures(s);
    const stale = soakNotProjected(s);
    if (s.max.failed > 0 || failures.length > 0 || stale > 0) throw new Error(`${s.max.failed} failed at the maximum, ${stale} answers projected: false; ${failures.slice(0, 3).join('; ')}`);
    const [first] = s.settled;
    const last = s.settled[s.settled.length - 1];
    const run = `max ${Math.round(s.max.okPerSecond)} req/s, then ${s.rate} req/s: ${sizes.warmupS} s warm-up and ${sizes.windows} windows of ${sizes.windowS} s`;
    results.record('soak_throughput_ratio', s.ratios.throughput, `${last.result.okPerSecond.toFixed(1)} vs ${first.result.okPerSecond.toFixed(1)} answered/s, last window vs first settled; ${run}`);
    results.record('soak_p99_ratio', s.ratios.p99, `p99 ${last.p99.toFixed(1)} vs ${first.p99.toFixed(1)} ms`);
    results.record(
      'soak_rss_growth_ratio',
      s.ratios.memory,
      `memory in use ${s.memoryMeasure === 'after a full collection' ? `after the last full collection (the JS heap in use as it ended, plus RSS outside the JS heap a second later) ${last.memoryMb.afterFullGc.toFixed(0)} vs ${first.memoryMb.afterFullGc.toFixed(0)} MB` : `lowest in the window (no full collection under load to read it after) ${last.memoryMb.inUse.toFixed(0)} vs ${first.memoryMb.inUse.toFixed(0)} MB`}, ${last.fullGcs} and ${first.fullGcs} full collections in those windows; plain RSS median ${last.memoryMb.rssMedian.toFixed(0)} vs ${first.memoryMb.rssMedian.toFixed(0)} MB (${s.ratios.rss.toFixed(2)})`,
    );
  } finally {
    await service.stop();
  }
}

const OUTBOUND_METRICS: MetricName[] = ['outbound_lag_p99_ms', 'outbound_command_rate_ratio'];

/** Slot PoPs on a fresh schema: the command rate without and with one webhook subscription, then the delivery lag. */
async function outbound(results: BenchResults, storage: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const { pops: count, seconds, warmupSeconds, lagCommands } = sizes.outbound;
  const pops = ids('out', count);
  const racks = racksFor(pops.length, MAX_COMMAND_RATE, 5 * (seconds + warmupSeconds) + lagCommands / MAX_COMMAND_RATE + 1);
  await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
  await settle(storage);
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS } });
  try {
    if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
    // One mix for the three phases: each goes on where the previous one left the slots.
    const mix = new CommandMix(pops, racks, 'out', new Date(now).toISOString());
    const o = await measureOutbound(service.url, KEYS.admin, KEYS.planner, { without: mix, with: mix, lag: mix }, { seconds, warmupSeconds, connections: sizes.commands.connections, lagCommands });
    results.record('outbound_lag_p99_ms', o.lagP99Ms, `${o.lagSamples} sequential commands, from the answer to the webhook POST on loopback (p50 ${o.lagP50Ms.toFixed(1)} ms); ${o.delivered} events delivered in all`);
    results.record('outbound_command_rate_ratio', o.ratePerSWith / o.ratePerSWithout, `${Math.round(o.ratePerSWith)} commands/s with one subscription (mean of ${o.ratesWith.map(Math.round).join(', ')}) vs ${Math.round(o.ratePerSWithout)} without (mean of ${o.ratesWithout.map(Math.round).join(', ')}, interleaved), ${seconds} s each, ${sizes.commands.connections} clients over the same ${pops.length} PoPs`);
  } finally {
    await service.stop();
  }
}

async function migrateToPostgres(results: BenchResults, from: ServiceStorage, to: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const m = await measureMigrate(OUT_DIR, from, to, sizes.migrate, dayStartOf(Date.now()));
  results.record(
    'migrate_events_per_s',
    m.eventsPerS,
    `${m.events} events of a generated network written command by command (${m.appends} appends, copied in ${m.writes} writes), ` +
      `PGlite → PostgreSQL server by the migrate-events CLI: copy ${m.copySeconds.toFixed(1)} s + read-back and checksum ${m.verifySeconds.toFixed(1)} s; ${m.wallSeconds.toFixed(1)} s wall clock with process start-up`,
  );
}

/**
 * The command load of the PGlite section with EVENT_STORE=esdb against the KurrentDB double (an in-memory
 * gRPC server of the tests, run as a process of its own), read models on the PostgreSQL server: reported
 * only, it measures the service's EventStoreDB path, not an EventStoreDB server.
 */
async function serviceOnKurrentDbDouble(results: BenchResults, readStore: ServiceStorage, sizes: BenchSizes): Promise<void> {
  const now = Date.now();
  const pops = ids('load', sizes.esdb.pops);
  const racks = racksFor(pops.length, MAX_COMMAND_RATE, sizes.esdb.seconds + sizes.esdb.warmupSeconds);
  const double = await startDoubleProcess(OUT_DIR);
  try {
    const storage: ServiceStorage = { ...readStore, env: { ...readStore.env, EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString } };
    await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
    const service = await startServiceProcess({ env: { ...storage.env, API_KEYS } });
    try {
      if (!(await waitForProjections(service.url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
      const mix = new CommandMix(pops, racks, 'esdb', new Date(now).toISOString());
      const c = await measureCommands(service.url, KEYS.planner, mix, sizes.esdb.seconds, sizes.esdb.warmupSeconds);
      const failures = describeFailures(c);
      results.record(
        'commands_per_s_esdb',
        c.perS,
        `THE KURRENTDB DOUBLE (test/support/kurrentdb-double, in memory, its own process), not a real EventStoreDB server; ${c.ok} accepted in ${sizes.esdb.seconds} s, 16 clients, ` +
          `p50 ${c.p50Ms.toFixed(1)} ms, p99 ${c.p99Ms.toFixed(1)} ms, read-your-writes on, read models on PostgreSQL${failures ? `; ${failures}` : ''}`,
      );
    } finally {
      await service.stop();
    }
  } finally {
    await double.stop();
  }
}

async function section(results: BenchResults, title: string, names: MetricName[], run: () => Promise<void>): Promise<void> {
  console.log(`\n• ${title}`);
  const started = performance.now();
  await part(results, names, run);
  console.log(`  (${seconds(started)} s)`);
}

/** A failing part leaves its metrics unmeasured (with the reason) and the run goes on. */
async function part(results: BenchResults, names: MetricName[], run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    results.fail(names, error);
  }
}

function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
