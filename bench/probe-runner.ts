import 'reflect-metadata';
import { createServiceStorage } from '../test/support/service-storage';
import { processCpu, startServiceProcess, SERVICE_MAIN, type ServiceProcess } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { API_KEYS } from '../test/support/test-app';
import { benchPop } from './bench-pops';

const DAY = 86_400_000;

/** The builds (main.js paths) on a probe's command line, this one if none, and its `--name=<number>` options. */
export function probeArguments(): { mains: string[]; option: (name: string, fallback: number) => number } {
  const mains = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  if (mains.length === 0) mains.push(SERVICE_MAIN);
  const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  return { mains, option };
}

/**
 * An A/B probe's rounds: in each, every build in turn on a fresh schema of the PostgreSQL server (DATABASE_URL)
 * seeded with the bench's slot PoPs `pops` (live for 60 days, `racks` racks each), served without a practical
 * rate limit; `measure` prints what it measured on the service.
 */
export async function runProbe(
  mains: readonly string[],
  rounds: number,
  slotPops: { pops: readonly string[]; racks: number },
  measure: (service: ServiceProcess, main: string) => Promise<void>,
): Promise<void> {
  const liveAt = Date.now() - 60 * DAY;
  for (let round = 0; round < rounds; round++) {
    for (const main of mains) {
      const storage = await createServiceStorage('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'probe');
      try {
        await appendToStorage(storage, slotPops.pops.map((popId, i) => benchPop(popId, slotPops.racks, i, liveAt)));
        const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, main });
        try {
          await measure(service, main);
        } finally {
          await service.stop();
        }
      } finally {
        await storage.dispose();
      }
    }
  }
}

/** Microseconds of user plus system CPU a process spends in `work` (from /proc, whatever else runs on the machine). */
export async function serviceCpuUs<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuUs: number }> {
  const before = processCpu(pid).cpuMs;
  const result = await work();
  return { result, cpuUs: (processCpu(pid).cpuMs - before) * 1_000 };
}

/** Runs a probe's main, failing the process on an error. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
