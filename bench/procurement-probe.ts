import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServiceStorage } from '../test/support/service-storage';
import { startServiceProcess, SERVICE_MAIN } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { API_KEYS, KEYS } from '../test/support/test-app';
import { benchPop } from './bench-pops';
import { measureProcurement, procurementRacksFor, ProcurementRecords } from './procurement-bench';

const DAY = 86_400_000;
const POPS = 50;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * The procurement part of the bench alone, for A/B work on the record path: `node dist/bench/procurement-probe.js
 * [<main.js> ...] [--batches=10] [--rounds=1]`. Each round starts every given build (default: this one) in turn on
 * a fresh schema of the PostgreSQL server (DATABASE_URL) seeded with the bench's 50 procurement PoPs only, sends
 * one warm-up batch, then measures the bench's 1,000-record batches: records/s, and the service's CPU per record
 * from /proc (a load-independent figure). SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const mains = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const batches = option('batches', 10);
  const rounds = option('rounds', 1);
  if (mains.length === 0) mains.push(SERVICE_MAIN);
  const pops = Array.from({ length: POPS }, (_, i) => `proc${i}`);
  const now = Date.now();
  for (let round = 0; round < rounds; round++) {
    for (const main of mains) {
      const storage = await createServiceStorage('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'probe');
      try {
        const racks = procurementRacksFor(pops.length, (batches + 2) * 1_000);
        await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
        const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, main });
        try {
          const records = new ProcurementRecords(pops, 'pb', new Date(now - DAY).toISOString());
          await measureProcurement(service.url, KEYS.procurement, records, 0);
          const before = cpuTicks(service.pid);
          // measureProcurement sends one more batch than it measures: its own warm-up, counted here too.
          const measured = await measureProcurement(service.url, KEYS.procurement, records, batches);
          const cpuUs = ((cpuTicks(service.pid) - before) / TICKS_PER_S) * 1e6;
          const problems = measured.problems.length > 0 ? `; ${measured.problems.length} problem(s): ${measured.problems[0]}` : '';
          console.log(`${main}: ${Math.round(measured.perS)} records/s, ${Math.round(cpuUs / ((batches + 1) * 1_000))} µs service CPU per record${problems}`);
        } finally {
          await service.stop();
        }
      } finally {
        await storage.dispose();
      }
    }
  }
}

/** User plus system CPU of a process so far, in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
