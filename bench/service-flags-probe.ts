import 'reflect-metadata';
import { Prng } from '../src/tools/seed/prng.util';
import { createServiceStorage } from '../test/support/service-storage';
import { processCpu, startServiceProcess, type ServiceProcess } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { waitForProjections } from '../test/support/service-client';
import { API_KEYS, KEYS } from '../test/support/test-app';
import { benchPop } from './bench-pops';
import { GraphqlClient } from './graphql-client';
import { summary } from './latency';
import { backendCpuMs, backendCpuSpentMs, gcOf, PROBE_DATABASE_URL, runMain } from './probe-runner';
import { CAPACITY } from './query-bench';

const DAY = 86_400_000;

/**
 * The service's Node flags A/B on `capacity_p99_ms` as the bench asks it: `node dist/bench/service-flags-probe.js
 * --flags= --flags=--min-semi-space-size=16 [--pops=10000] [--queries=2000] [--warmup=100] [--idle=0,45]
 * [--rounds=3]`. One schema of the PostgreSQL server seeded with `pops` slot PoPs. In each round and for each idle
 * time, one fresh service per flag set, all at once, left alone for `idle` seconds after their projections caught
 * up, then asked `warmup` and `queries` capacity queries of random PoPs (mostly misses, as in the bench) one at a
 * time with the lean client, the services in turn per query (the first one rotating), so that the machine's load
 * hits them alike. Per service: p50/p99, young and full collections and GC time per 1,000 queries (/metrics), CPU
 * per query of the service and of its PostgreSQL backends (/proc) and its resident memory at the end.
 */
async function main(): Promise<void> {
  const text = (name: string) => process.argv.filter((arg) => arg.startsWith(`--${name}=`)).map((arg) => arg.slice(name.length + 3));
  const option = (name: string, fallback: number) => Number(text(name)[0] ?? fallback);
  const flagSets = text('flags').map((flags) => flags.split(' ').filter(Boolean));
  if (flagSets.length === 0) flagSets.push([]);
  const idles = (text('idle')[0] ?? '0').split(',').map(Number);
  const pops = Array.from({ length: option('pops', 10_000) }, (_, i) => `q${i}`);
  const storage = await createServiceStorage('postgres', PROBE_DATABASE_URL, 'probe_y');
  try {
    const liveAt = Date.now() - 60 * DAY;
    await appendToStorage(storage, [...pops.map((popId, i) => benchPop(popId, 2, i, liveAt))]);
    for (let round = 0; round < option('rounds', 3); round++) {
      for (const idle of idles) {
        const services: ServiceProcess[] = [];
        try {
          for (const flags of flagSets) {
            services.push(await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, nodeArgs: flags }));
            if (!(await waitForProjections(services[services.length - 1].url, KEYS.admin))) throw new Error('projections did not catch up with the seeded log');
          }
          await new Promise((resolve) => setTimeout(resolve, idle * 1_000));
          const results = await measure(services, pops, option('queries', 2_000), option('warmup', 100), round);
          for (const [b, r] of results.entries()) {
            console.log(
              `round ${round + 1}, idle ${idle} s, [${flagSets[b].join(' ')}]: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (halves ${r.halves.map((half) => half.toFixed(2)).join(', ')}), max ${r.max.toFixed(1)} ms; per 1,000: ${r.scavenges.toFixed(1)} young, ${r.fulls.toFixed(1)} full, ${r.gcMs.toFixed(1)} ms GC; CPU per query service ${r.serviceUs.toFixed(0)} µs, server ${r.serverUs.toFixed(0)} µs; RSS ${r.rssMb} MB (peak ${r.peakMb})`,
            );
          }
        } finally {
          for (const service of services) await service.stop();
        }
      }
    }
  } finally {
    await storage.dispose();
  }
}

async function measure(services: ServiceProcess[], pops: readonly string[], queries: number, warmup: number, round: number) {
  const clients = services.map((service) => new GraphqlClient(service.url, KEYS.planner));
  const p = Prng.derive(round, 'service-flags');
  const ms = services.map((): number[] => []);
  const askAll = async (i: number, timed: boolean) => {
    const popId = p.pick(pops);
    for (let k = 0; k < clients.length; k++) {
      const b = (i + k) % clients.length;
      const started = performance.now();
      const answer = await clients[b].query(CAPACITY, { popId });
      if (timed) ms[b].push(performance.now() - started);
      if (answer.errors?.length || !answer.data?.capacity) throw new Error(`capacity: ${JSON.stringify(answer.errors ?? answer.data).slice(0, 300)}`);
    }
  };
  try {
    for (let i = 0; i < warmup; i++) await askAll(i, false);
    const gcBefore = await Promise.all(services.map(gcOf));
    const backendsBefore = await Promise.all(services.map((service) => backendCpuMs(service.pid, PROBE_DATABASE_URL)));
    const cpuBefore = services.map((service) => processCpu(service.pid).cpuMs);
    for (let i = 0; i < queries; i++) await askAll(i, true);
    const cpuAfter = services.map((service) => processCpu(service.pid).cpuMs);
    const backendsAfter = await Promise.all(services.map((service) => backendCpuMs(service.pid, PROBE_DATABASE_URL)));
    const gcAfter = await Promise.all(services.map(gcOf));
    return services.map((service, b) => {
      const { rss, peak } = service.memoryKb();
      const perThousand = (value: number) => (value * 1_000) / queries;
      return {
        ...summary(ms[b]),
        halves: [ms[b].slice(0, queries / 2), ms[b].slice(queries / 2)].map((half) => summary(half).p99),
        scavenges: perThousand(gcAfter[b].scavenges - gcBefore[b].scavenges),
        fulls: perThousand(gcAfter[b].fulls - gcBefore[b].fulls),
        gcMs: perThousand((gcAfter[b].us - gcBefore[b].us) / 1_000),
        serviceUs: ((cpuAfter[b] - cpuBefore[b]) * 1_000) / queries,
        serverUs: (backendCpuSpentMs(backendsBefore[b], backendsAfter[b]) * 1_000) / queries,
        rssMb: Math.round(rss / 1024),
        peakMb: Math.round(peak / 1024),
      };
    });
  } finally {
    for (const client of clients) client.close();
  }
}

runMain(main);
