import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { benchNetworks } from './bench-networks';
import { QUICK } from './bench-sizes';
import { GraphqlClient } from './graphql-client';
import { loadavg } from 'node:os';
import { summary } from './latency';
import { processCpu, type ServiceProcess } from '../test/support/service-process';
import { KEYS } from '../test/support/test-app';
import { backendCpuMs, backendCpuSpentMs, PROBE_DATABASE_URL, probeArguments, rebuiltStorage, runMain, startProbeService } from './probe-runner';
import { createBenchScenario, evaluateBenchScenario } from './scenario-bench';

/**
 * `scenario_eval_p99_ms` for A/B work: `node dist/bench/scenario-probe.js [<main.js> ...] [--evaluations=300] [--rounds=3]`.
 * Seeds the 'postgres' section's quick network into one fresh schema of the PostgreSQL server, rebuilds its read
 * models, creates the bench's 200-step scenario once and starts every given build on it; then per round each build
 * in turn evaluates it `evaluations` times one after the other (after 20 untimed), printing p50/p99, the service's
 * CPU and its PostgreSQL backends' per evaluation (from /proc), and a hash of one answer at a fixed asOf and of
 * the last timed one (asOf now) to show that the builds answer the same.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const generator = benchNetworks.postgres(QUICK.network);
  const storage = await rebuiltStorage(generator.popStreams(), generator.referenceStreams(), generator.workloadStreams());
  const services: ServiceProcess[] = [];
  const clients: GraphqlClient[] = [];
  try {
    for (const main of mains) services.push(await startProbeService(storage, main));
    for (const service of services) clients.push(new GraphqlClient(service.url, KEYS.planner));
    const plan = await createBenchScenario(clients[0], generator.summaries);
    const evaluations = option('evaluations', 300);
    const fixedAsOf = new Date(Date.now() - 86_400_000).toISOString();
    const hash = (answer: unknown) => createHash('sha256').update(JSON.stringify(answer)).digest('hex').slice(0, 12);
    for (let round = 1; round <= option('rounds', 3); round++) {
      for (const [b, service] of services.entries()) {
        const evaluate = (asOf?: string) => evaluateBenchScenario(clients[b], plan.scenarioId, plan.pops, asOf);
        for (let i = 0; i < 20; i++) await evaluate();
        const fixed = hash(await evaluate(fixedAsOf));
        const backendsBefore = await backendCpuMs(service.pid, PROBE_DATABASE_URL);
        const cpuBefore = processCpu(service.pid).cpuMs;
        const samples: number[] = [];
        let last: unknown;
        for (let i = 0; i < evaluations; i++) {
          const started = performance.now();
          last = await evaluate();
          samples.push(performance.now() - started);
        }
        const cpuMs = (processCpu(service.pid).cpuMs - cpuBefore) / evaluations;
        const pgMs = backendCpuSpentMs(backendsBefore, await backendCpuMs(service.pid, PROBE_DATABASE_URL)) / evaluations;
        const { p50, p99, max } = summary(samples);
        const load = loadavg()[0].toFixed(1);
        console.log(
          `round ${round} ${mains[b]}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms, service CPU ${cpuMs.toFixed(2)} ms + PostgreSQL ${pgMs.toFixed(2)} ms per evaluation, load ${load}, answer ${fixed}/${hash(last)}`,
        );
      }
    }
  } finally {
    for (const client of clients) client.close();
    for (const service of services) await service.stop();
    await storage.dispose();
  }
}

runMain(main);
