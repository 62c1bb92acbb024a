import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { CommandMix, graphqlFailure, racksFor } from '../test/support/command-mix';
import { runLoad } from '../test/support/http-load';
import { createServiceStorage } from '../test/support/service-storage';
import { startServiceProcess, SERVICE_MAIN } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { API_KEYS, KEYS } from '../test/support/test-app';
import { benchPop } from './bench-pops';
import { describeFailures } from './command-load';

const DAY = 86_400_000;
const POPS = 50;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;
/** Above any rate this machine reaches: sizes the slot PoPs' racks. */
const MAX_RATE = 2_000;

/**
 * The command load of the bench alone, for A/B work on the GraphQL command path: `node dist/bench/command-probe.js
 * [<main.js> ...] [--seconds=10] [--rounds=1] [--rate=<commands/s>]`. Each round starts every given build (default:
 * this one) in turn on a fresh schema of the PostgreSQL server (DATABASE_URL) seeded with 50 slot PoPs, sends 3 s of
 * warm-up, then measures `seconds` of installDevice/reserveCapacity from 16 clients (closed loop, or at `rate` in
 * all): commands/s, and the service's CPU per command from /proc (a load-independent figure).
 * SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const mains = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const seconds = option('seconds', 10);
  const rounds = option('rounds', 1);
  // A fixed rate (commands/s over all clients) keeps the projections' batches the same size in A and B,
  // which a closed loop does not: fewer commands per batch cost more CPU per command.
  const rate = option('rate', 0);
  const warmup = 3;
  if (mains.length === 0) mains.push(SERVICE_MAIN);
  const pops = Array.from({ length: POPS }, (_, i) => `load${i}`);
  const racks = racksFor(POPS, MAX_RATE, seconds + warmup);
  const now = Date.now();
  for (let round = 0; round < rounds; round++) {
    for (const main of mains) {
      const storage = await createServiceStorage('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'probe');
      try {
        await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
        const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, main });
        try {
          const mix = new CommandMix(pops, racks, 'cp', new Date(now).toISOString());
          const load = (durationS: number) =>
            runLoad({ url: service.url, path: '/graphql', headers: { authorization: `Bearer ${KEYS.planner}` }, connections: 16, durationS, ...(rate > 0 ? { overallRate: rate } : {}), body: () => mix.next(), failure: graphqlFailure });
          await load(warmup);
          const before = cpuTicks(service.pid);
          const measured = await load(seconds);
          const cpuUs = ((cpuTicks(service.pid) - before) / TICKS_PER_S) * 1e6;
          const commands = measured.ok + measured.failed;
          const failures = describeFailures(measured);
          console.log(`${main}: ${Math.round(measured.okPerSecond)} commands/s, ${Math.round(cpuUs / commands)} µs service CPU per command (${commands} commands)${failures ? `; ${failures}` : ''}`);
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
