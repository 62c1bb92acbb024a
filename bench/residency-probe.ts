import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { KEYS } from '../test/support/test-app';
import { benchNetworks } from './bench-networks';
import { QUICK } from './bench-sizes';
import { GraphqlClient } from './graphql-client';
import { backendCpuMs, backendCpuSpentMs, PROBE_DATABASE_URL, probeArguments, rebuiltStorage, runMain, serviceCpuUs, startProbeService } from './probe-runner';
import { measureResidencyReport, RESIDENCY_REPORT } from './query-bench';
import { measureResidencyCsv } from './residency-csv-bench';

/**
 * The residency report of the bench alone, for A/B work on the report path: `node dist/bench/residency-probe.js
 * [<main.js> ...] [--runs=10] [--csv-runs=3] [--rounds=1] [--csv-network]`. Seeds the 'postgres' section's network
 * (quick sizes, the same seed; with `--csv-network` the 'csv' section's: 500 PoPs, 24,000 workloads, over 100,000
 * rows) once on a fresh schema of the PostgreSQL server (DATABASE_URL) and rebuilds its read models; then
 * each round starts every given build (default: this one) in turn on it and measures `runs` whole GraphQL reports
 * (as `residency_report_ms`) and `csv-runs` CSV downloads (none: 0) of the same network: median wall clock,
 * and the CPU per request of the service and of its PostgreSQL backends from /proc (load-independent figures;
 * the server must run on this machine). A hash of the report at a fixed asOf (and the CSV's size) tells whether
 * the builds answer the same. SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const runs = option('runs', 10);
  const csvRuns = option('csv-runs', 3);
  const generator = process.argv.includes('--csv-network') ? benchNetworks.residencyCsv(QUICK.residencyCsv) : benchNetworks.postgres(QUICK.network);
  const storage = await rebuiltStorage(generator.popStreams(), generator.referenceStreams(), generator.workloadStreams());
  try {
    const asOf = new Date().toISOString();
    for (let round = 0; round < option('rounds', 1); round++) {
      for (const main of mains) {
        const service = await startProbeService(storage, main);
        try {
          // CPU per call of `work` (which makes `calls` requests) of the service and of its PostgreSQL backends.
          const cpuOf = async <T>(calls: number, work: () => Promise<T>) => {
            const backends = await backendCpuMs(service.pid, PROBE_DATABASE_URL);
            const { result, cpuUs } = await serviceCpuUs(service.pid, work);
            const serverMs = backendCpuSpentMs(backends, await backendCpuMs(service.pid, PROBE_DATABASE_URL));
            return { result, cpu: `${(cpuUs / 1_000 / calls).toFixed(0)} ms service + ${(serverMs / calls).toFixed(0)} ms server CPU` };
          };
          const report = await cpuOf(runs + 1, () => measureResidencyReport(service.url, KEYS.compliance, runs));
          const client = new GraphqlClient(service.url, KEYS.compliance);
          const answer = await client.query(RESIDENCY_REPORT, { asOf }).finally(() => client.close());
          const hash = createHash('sha256').update(JSON.stringify(answer)).digest('hex').slice(0, 12);
          let csvFigures = '';
          if (csvRuns > 0) {
            const csv = await cpuOf(csvRuns + 1, () => measureResidencyCsv(service.url, KEYS.compliance, csvRuns, () => service.memoryKb().rss));
            csvFigures = `; CSV ${csv.result.ms.p50.toFixed(0)} ms median, ${csv.cpu} per download (${csv.result.rows} rows, ${csv.result.bytes} bytes, ${csv.result.sha256}; RSS ` +
              `${csv.result.rssMb.before.toFixed(0)}/${csv.result.rssMb.max.toFixed(0)}/${csv.result.rssMb.after.toFixed(0)} MB before/max/after)`;
          }
          console.log(`${main}: report ${report.result.ms.p50.toFixed(0)} ms median (the first ${report.result.firstMs.toFixed(0)} ms), ${report.cpu} per report (${report.result.rows} rows, answer ${hash})${csvFigures}`);
        } finally {
          await service.stop();
        }
      }
    }
  } finally {
    await storage.dispose();
  }
}

runMain(main);
