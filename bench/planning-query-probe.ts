import 'reflect-metadata';
import { benchNetworks } from './bench-networks';
import { processCpu, type ServiceProcess } from '../test/support/service-process';
import { KEYS } from '../test/support/test-app';
import { probeArguments, rebuiltStorage, runMain, startProbeService } from './probe-runner';
import { measureQuery, type PlanningQuery } from './query-bench';

const QUERIES: readonly PlanningQuery[] = ['findCapacity', 'costSummary'];

/**
 * The bench's network-wide planning queries (`find_capacity_p99_ms`, `cost_summary_p99_ms`) on the full bench's
 * larger network, for A/B work on how they scale: `node dist/bench/planning-query-probe.js [<main.js> ...]
 * [--pops=10000] [--queries=300] [--rounds=2]`. Seeds the generated network of `pops` PoPs (as `queries10k` does)
 * into one fresh schema of the PostgreSQL server, rebuilds its read models, starts every given build on it, then
 * per round asks each build in turn the bench's random questions one at a time with the lean client, printing
 * p50/p99/max and the service's CPU per request from /proc.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const generator = benchNetworks.largeNetwork(option('pops', 10_000));
  const storage = await rebuiltStorage(generator.popStreams(), generator.referenceStreams());
  const services: ServiceProcess[] = [];
  try {
    for (const main of mains) services.push(await startProbeService(storage, main));
    const popIds = generator.summaries.map((summary) => summary.popId);
    const count = option('queries', 300);
    for (let round = 1; round <= option('rounds', 2); round++) {
      for (const query of QUERIES) {
        for (const [b, service] of services.entries()) {
          const before = processCpu(service.pid).cpuMs;
          const { n, p50, p99, max } = await measureQuery(service.url, KEYS.planner, query, popIds, { count, warmup: 20, budgetMs: 120_000 });
          const cpuUs = ((processCpu(service.pid).cpuMs - before) * 1_000) / (n + 20);
          console.log(`round ${round} ${query} ${mains[b]}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms, service CPU ${Math.round(cpuUs)} µs per request (${n})`);
        }
      }
    }
  } finally {
    for (const service of services) await service.stop();
    await storage.dispose();
  }
}

runMain(main);
