import 'reflect-metadata';
import { CommandMix, racksFor } from '../test/support/command-mix';
import { runLoad } from '../test/support/http-load';
import { memorySample, type MemorySample } from '../test/support/soak-load';
import { KEYS } from '../test/support/test-app';
import { describeFailures, projectionCounter } from './command-load';
import { percentile } from './latency';
import { backendCpuMs, backendCpuSpentMs, PROBE_DATABASE_URL, probeArguments, runMain, runProbe, serviceCpuUs } from './probe-runner';

const WARMUP_S = 3;
/** Above any rate this machine reaches: sizes the slot PoPs' racks. */
const MAX_RATE = 2_000;

/**
 * The command load of the bench alone, for A/B work on the GraphQL command path: `node dist/bench/command-probe.js
 * [<main.js> ...] [--seconds=10] [--rounds=1] [--rate=<commands/s>] [--pops=50] [--store=postgres|pglite]`. Each round
 * starts every given build (default: this one) in turn on a fresh schema of the PostgreSQL server (DATABASE_URL) or,
 * with `--store=pglite`, a fresh PGlite directory (the embedded default) seeded with `pops` slot PoPs, sends 3 s of
 * warm-up, then measures `seconds` of installDevice/reserveCapacity from 16 clients (closed loop, or at `rate` in
 * all): commands/s, p50/p99, answers `projected: false`, and the CPU per command of the service and, on a server, of
 * its PostgreSQL backends, from /proc (load-independent figures), and the service's garbage collections.
 * SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const { mains, option, store } = probeArguments();
  const seconds = option('seconds', 10);
  // A fixed rate (commands/s over all clients) keeps the projections' batches the same size in A and B,
  // which a closed loop does not: fewer commands per batch cost more CPU per command.
  const rate = option('rate', 0);
  const popCount = option('pops', 50);
  const pops = Array.from({ length: popCount }, (_, i) => `load${i}`);
  const racks = racksFor(popCount, MAX_RATE, seconds + WARMUP_S);
  const backends = async (pid: number) => (store === 'postgres' ? backendCpuMs(pid, PROBE_DATABASE_URL) : new Map<number, number>());
  const now = Date.now();
  await runProbe(mains, option('rounds', 1), { pops, racks }, async (service, main) => {
    const mix = new CommandMix(pops, racks, 'cp', new Date(now).toISOString());
    const projection = projectionCounter();
    const load = (durationS: number) =>
      runLoad({ url: service.url, path: '/graphql', headers: { authorization: `Bearer ${KEYS.planner}` }, connections: 16, durationS, ...(rate > 0 ? { overallRate: rate } : {}), body: () => mix.next(), failure: projection.failure });
    await load(WARMUP_S);
    projection.reset();
    const backendsBefore = await backends(service.pid);
    const gcBefore = await memorySample(service.url);
    const { result, cpuUs } = await serviceCpuUs(service.pid, () => load(seconds));
    const serverUs = backendCpuSpentMs(backendsBefore, await backends(service.pid)) * 1_000;
    const commands = result.ok + result.failed;
    const gc = collections(gcBefore, await memorySample(service.url), commands);
    const failures = describeFailures({ ...result, notProjected: projection.notProjected() });
    const latency = `p50 ${percentile(result.latenciesMs, 0.5).toFixed(1)} / p99 ${percentile(result.latenciesMs, 0.99).toFixed(1)} ms`;
    const server = store === 'postgres' ? `, ${Math.round(serverUs / commands)} µs its PostgreSQL backends` : '';
    console.log(`${main}: ${Math.round(result.okPerSecond)} commands/s, ${latency}, CPU per command ${Math.round(cpuUs / commands)} µs service${server} (${commands} commands); ${gc}${failures ? `; ${failures}` : ''}`);
  }, store);
}

/**
 * The service's garbage collections over the measured load (its /metrics): per 1,000 commands the young and full
 * collections (counts do not depend on the machine's load) and the milliseconds they paused the main thread (which do).
 */
function collections(before: MemorySample | null, after: MemorySample | null, commands: number): string {
  if (!before || !after) return 'no GC figures (a /metrics scrape failed)';
  const per1000 = (value: number) => ((value * 1_000) / commands).toFixed(1);
  const pauseMs = Object.keys(after.gcMs).reduce((sum, kind) => sum + after.gcMs[kind] - (before.gcMs[kind] ?? 0), 0);
  return `per 1,000 commands ${per1000(after.youngGcs - before.youngGcs)} young and ${per1000(after.fullGcs - before.fullGcs)} full collections, ${per1000(pauseMs)} ms of GC pauses`;
}

runMain(main);
