import 'reflect-metadata';
import { KEYS } from '../test/support/test-app';
import { processCpu, type ServiceProcess } from '../test/support/service-process';
import { benchPop } from './bench-pops';
import { GraphqlClient } from './graphql-client';
import { summary } from './latency';
import { gcOf, probeArguments, runMain, withSeededServices } from './probe-runner';
import { CAPACITY, CAPACITY_RACKS } from './query-bench';

const RACKS_POP = 'racks40';
/** PoPs the warm-up asks, kept out of the measured passes. */
const WARMUP_POPS = 50;

interface Phase {
  name: string;
  /** How long the load ran, for a rate (closed loop); none for one request at a time. */
  seconds?: number;
  /** Per build: the latencies (ms) of its requests, its CPU and its time in garbage collection (µs) over the phase. */
  builds: Array<{ ms: number[]; cpuUs: number; gcUs: number; scavenges: number }>;
}

/**
 * The bench's capacity queries, for A/B work on the read path: `node dist/bench/capacity-probe.js [<main.js> ...]
 * [--pops=2000] [--queries=600] [--seconds=5] [--rounds=3]`. In each round every given build runs at once, each on
 * a fresh schema of the PostgreSQL server seeded with `pops` slot PoPs and the 40-rack PoP, and they are measured
 * side by side, so that a drift of the machine's load hits them alike: one request at a time with the lean client,
 * taking the builds in turn per request, the `capacity_p99_ms` query of `queries` PoPs asked once each (no kept
 * answer, as for most of the bench's random PoPs of 2,000), the same PoPs again (kept answers) and the
 * `capacity_racks_p99_ms` query; then 16 clients per build at once for `seconds` (`capacity_queries_per_s_16`).
 * For each build: p50/p99, its CPU per request from /proc, its time in garbage collection per request and its
 * young-generation collections per 1,000 requests (from /metrics); the medians over the rounds at the end.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const popCount = option('pops', 2_000);
  const queries = Math.min(option('queries', 600), popCount - WARMUP_POPS);
  const seconds = option('seconds', 5);
  const rounds = option('rounds', 3);
  const pops = Array.from({ length: popCount }, (_, i) => `q${i}`);
  const results: Phase[][] = [];
  for (let round = 0; round < rounds; round++) {
    await withSeededServices(mains, { pops, racks: 2, more: (liveAt) => [benchPop(RACKS_POP, 40, 0, liveAt)] }, async (services) => {
      const clients = services.map((service) => new GraphqlClient(service.url, KEYS.planner));
      try {
        const warm = pops.slice(popCount - WARMUP_POPS);
        await sequential(services, clients, 'warm-up', [...warm, ...warm, ...warm, ...warm], CAPACITY);
        await sequential(services, clients, 'warm-up', Array.from({ length: 50 }, () => RACKS_POP), CAPACITY_RACKS);
        const asked = pops.slice(0, queries);
        const phases = [
          await sequential(services, clients, 'capacity, not kept', asked, CAPACITY),
          await sequential(services, clients, 'capacity, kept', asked, CAPACITY),
          await sequential(services, clients, 'capacity with racks', Array.from({ length: 300 }, () => RACKS_POP), CAPACITY_RACKS),
          await concurrent(services, pops, seconds),
        ];
        results.push(phases);
        console.log(`round ${round + 1}:`);
        for (const phase of phases) console.log(phaseLines(phase, mains));
      } finally {
        for (const client of clients) client.close();
      }
    });
  }
  console.log(`medians of ${rounds} rounds:`);
  for (const [i, phase] of results[0].entries()) {
    for (const [b, main] of mains.entries()) {
      const median = (value: (build: Phase['builds'][number]) => number) => medianOf(results.map((phases) => value(phases[i].builds[b])));
      const p50 = median((build) => summary(build.ms).p50);
      const p99 = median((build) => summary(build.ms).p99);
      const count = phase.builds[b].ms.length;
      console.log(`  ${phase.name}, ${main}: CPU ${median((build) => build.cpuUs / build.ms.length).toFixed(0)} µs, GC ${median((build) => build.gcUs / build.ms.length).toFixed(0)} µs per request, ${median((build) => (build.scavenges * 1_000) / build.ms.length).toFixed(1)} scavenges per 1,000; p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms${phase.seconds ? `, ${median((build) => build.ms.length / (phase.seconds as number)).toFixed(0)} requests/s` : ''} (${count} requests in round 1)`);
    }
    // The pairs: each build's CPU per request over the first one's, round by round.
    for (const b of mains.keys()) {
      if (b === 0) continue;
      const ratios = results.map((phases) => {
        const [first, other] = [phases[i].builds[0], phases[i].builds[b]];
        return other.cpuUs / other.ms.length / (first.cpuUs / first.ms.length);
      });
      console.log(`  ${phase.name}: CPU per request of ${mains[b]} ÷ ${mains[0]}, by round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${medianOf(ratios).toFixed(2)})`);
    }
  }
}

function phaseLines(phase: Phase, mains: readonly string[]): string {
  const lines = phase.builds.map(({ ms, cpuUs, gcUs, scavenges }, b) => {
    const { p50, p99 } = summary(ms);
    return `    ${mains[b]}: CPU ${(cpuUs / ms.length).toFixed(0)} µs, GC ${(gcUs / ms.length).toFixed(0)} µs per request, ${((scavenges * 1_000) / ms.length).toFixed(1)} scavenges per 1,000; p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${ms.length})`;
  });
  return `  ${phase.name}:\n${lines.join('\n')}`;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Measures `work` on every service: its CPU (/proc) and garbage collection over it. */
async function measured(services: ServiceProcess[], work: () => Promise<number[][]>): Promise<Phase['builds']> {
  const gcBefore = await Promise.all(services.map(gcOf));
  const cpuBefore = services.map((service) => processCpu(service.pid).cpuMs);
  const ms = await work();
  const cpuUs = services.map((service, b) => (processCpu(service.pid).cpuMs - cpuBefore[b]) * 1_000);
  const gcAfter = await Promise.all(services.map(gcOf));
  return services.map((_, b) => ({ ms: ms[b], cpuUs: cpuUs[b], gcUs: gcAfter[b].us - gcBefore[b].us, scavenges: gcAfter[b].scavenges - gcBefore[b].scavenges }));
}

async function ask(client: GraphqlClient, document: string, popId: string): Promise<void> {
  const answer = await client.query(document, { popId });
  if (answer.errors?.length || !answer.data?.capacity) throw new Error(`capacity: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 300)}`);
}

/** One request at a time: each PoP of `popIds` asked of every build, the builds in turn (the first one rotating). */
async function sequential(services: ServiceProcess[], clients: GraphqlClient[], name: string, popIds: readonly string[], document: string): Promise<Phase> {
  const builds = await measured(services, async () => {
    const ms = services.map((): number[] => []);
    for (const [i, popId] of popIds.entries()) {
      for (let k = 0; k < clients.length; k++) {
        const b = (i + k) % clients.length;
        const started = performance.now();
        await ask(clients[b], document, popId);
        ms[b].push(performance.now() - started);
      }
    }
    return ms;
  });
  return { name, builds };
}

/** The `capacity_queries_per_s_16` load on every build at once: 16 lean clients each, asking PoPs one after the other. */
async function concurrent(services: ServiceProcess[], pops: readonly string[], seconds: number): Promise<Phase> {
  const run = (ms: number) =>
    Promise.all(
      services.map(async (service) => {
        const latencies: number[] = [];
        const deadline = performance.now() + ms;
        await Promise.all(
          Array.from({ length: 16 }, async (_, i) => {
            const client = new GraphqlClient(service.url, KEYS.planner);
            try {
              for (let k = i; performance.now() < deadline; k += 16) {
                const started = performance.now();
                await ask(client, CAPACITY, pops[(k * 7_919) % pops.length]);
                latencies.push(performance.now() - started);
              }
            } finally {
              client.close();
            }
          }),
        );
        return latencies;
      }),
    );
  await run(1_000);
  return { name: '16 clients per build', seconds, builds: await measured(services, () => run(seconds * 1_000)) };
}

runMain(main);
