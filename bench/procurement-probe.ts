import 'reflect-metadata';
import { KEYS } from '../test/support/test-app';
import { measureProcurement, procurementRacksFor, ProcurementRecords } from './procurement-bench';
import { backendCpuMs, backendCpuSpentMs, PROBE_DATABASE_URL, probeArguments, runMain, runProbe, serviceCpuUs } from './probe-runner';

const DAY = 86_400_000;
const POPS = 50;

/**
 * The procurement part of the bench alone, for A/B work on the record path: `node dist/bench/procurement-probe.js
 * [<main.js> ...] [--batches=10] [--rounds=1]`. Each round starts every given build (default: this one) in turn on
 * a fresh schema of the PostgreSQL server (DATABASE_URL) seeded with the bench's 50 procurement PoPs only, sends
 * one warm-up batch, then measures the bench's 1,000-record batches: records/s, and the service's CPU per record
 * and its PostgreSQL backends' from /proc (load-independent figures). SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const batches = option('batches', 10);
  const pops = Array.from({ length: POPS }, (_, i) => `proc${i}`);
  const now = Date.now();
  const racks = procurementRacksFor(pops.length, (batches + 2) * 1_000);
  await runProbe(mains, option('rounds', 1), { pops, racks }, async (service, main) => {
    const records = new ProcurementRecords(pops, 'pb', new Date(now - DAY).toISOString());
    await measureProcurement(service.url, KEYS.procurement, records, 0);
    // measureProcurement sends one more batch than it measures: its own warm-up, counted here too.
    const backends = await backendCpuMs(service.pid, PROBE_DATABASE_URL);
    const { result: measured, cpuUs } = await serviceCpuUs(service.pid, () => measureProcurement(service.url, KEYS.procurement, records, batches));
    const serverUs = backendCpuSpentMs(backends, await backendCpuMs(service.pid, PROBE_DATABASE_URL)) * 1_000;
    const recordsSent = (batches + 1) * 1_000;
    const problems = measured.problems.length > 0 ? `; ${measured.problems.length} problem(s): ${measured.problems[0]}` : '';
    console.log(`${main}: ${Math.round(measured.perS)} records/s, ${Math.round(cpuUs / recordsSent)} µs service CPU and ${Math.round(serverUs / recordsSent)} µs PostgreSQL CPU per record${problems}`);
  });
}

runMain(main);
