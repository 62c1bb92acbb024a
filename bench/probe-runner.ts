import 'reflect-metadata';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceStorage, withClient, type ServiceStorage } from '../test/support/service-storage';
import { processCpu, startServiceProcess, SERVICE_MAIN, type ServiceProcess } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { waitForProjections } from '../test/support/service-client';
import { API_KEYS, KEYS } from '../test/support/test-app';
import type { SeedStream } from '../src/tools/seed/stream-builder.seed';
import { benchPop } from './bench-pops';
import { measureRebuild } from './rebuild-bench';

const DAY = 86_400_000;

/** The PostgreSQL server the probes use: DATABASE_URL, or the local test database. */
export const PROBE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The builds (main.js paths) on a probe's command line, this one if none, its `--name=<number>` options and
 * `--store=postgres|pglite` (default postgres).
 */
export function probeArguments(): { mains: string[]; option: (name: string, fallback: number) => number; store: StoreKind } {
  const mains = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  if (mains.length === 0) mains.push(SERVICE_MAIN);
  const text = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const option = (name: string, fallback: number) => Number(text(name) ?? fallback);
  const store = text('store') ?? 'postgres';
  if (store !== 'postgres' && store !== 'pglite') throw new Error(`--store=${store}: postgres or pglite`);
  return { mains, option, store };
}

export type StoreKind = ServiceStorage['kind'];

/** The slot PoPs a probe's schema is seeded with: `pops` with `racks` racks each, live for 60 days, and any `more` streams. */
export interface ProbeSeed {
  pops: readonly string[];
  racks: number;
  more?: (liveAt: number) => SeedStream[];
}

/**
 * An A/B probe's rounds: in each, every build in turn on fresh storage seeded with `seed` (a schema of the
 * PostgreSQL server at DATABASE_URL, or a PGlite directory), served without a practical rate limit; `measure`
 * prints what it measured on the service.
 */
export async function runProbe(mains: readonly string[], rounds: number, seed: ProbeSeed, measure: (service: ServiceProcess, main: string) => Promise<void>, store: StoreKind = 'postgres'): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const main of mains) await withSeededServices([main], seed, ([service]) => measure(service, main), store);
  }
}

/**
 * Every build at once, each on a fresh schema of its own seeded with `seed`: for A/B work on a machine whose load
 * drifts, the builds then measured side by side share whatever else runs.
 */
export async function withSeededServices(mains: readonly string[], seed: ProbeSeed, work: (services: ServiceProcess[]) => Promise<void>, store: StoreKind = 'postgres'): Promise<void> {
  const liveAt = Date.now() - 60 * DAY;
  const storages: ServiceStorage[] = [];
  const services: ServiceProcess[] = [];
  try {
    for (const main of mains) {
      const storage = await createServiceStorage(store, PROBE_DATABASE_URL, 'probe');
      storages.push(storage);
      await appendToStorage(storage, [...seed.pops.map((popId, i) => benchPop(popId, seed.racks, i, liveAt)), ...(seed.more?.(liveAt) ?? [])]);
      services.push(await startProbeService(storage, main));
    }
    await work(services);
  } finally {
    for (const service of services) await service.stop();
    for (const storage of storages) await storage.dispose();
  }
}

/** `main` served on `storage` without a practical rate limit, once its projections have caught up with the log. */
export async function startProbeService(storage: ServiceStorage, main: string): Promise<ServiceProcess> {
  const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, main });
  if (!(await waitForProjections(service.url, KEYS.admin))) {
    await service.stop();
    throw new Error('projections did not catch up with the seeded log');
  }
  return service;
}

/** A fresh schema of the PostgreSQL server holding `phases` of streams (a generated network's), its read models built by the rebuild CLI. */
export async function rebuiltStorage(...phases: Array<Iterable<SeedStream>>): Promise<ServiceStorage> {
  const storage = await createServiceStorage('postgres', PROBE_DATABASE_URL, 'probe');
  try {
    await appendToStorage(storage, ...phases);
    await measureRebuild(join(__dirname, '..'), storage.env);
    return storage;
  } catch (error) {
    await storage.dispose();
    throw error;
  }
}

/** Microseconds of user plus system CPU a process spends in `work` (from /proc, whatever else runs on the machine). */
export async function serviceCpuUs<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuUs: number }> {
  const before = processCpu(pid).cpuMs;
  const result = await work();
  return { result, cpuUs: (processCpu(pid).cpuMs - before) * 1_000 };
}

/**
 * CPU (ms, user plus system) of the PostgreSQL backends serving process `pid` at the server of `databaseUrl`
 * on this machine, by backend: the process's TCP sockets to the server's port (from /proc), matched to
 * pg_stat_activity's client ports. Two snapshots' difference is the server's CPU for the process meanwhile.
 */
export async function backendCpuMs(pid: number, databaseUrl: string): Promise<Map<number, number>> {
  const sockets = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSyncOrEmpty(`/proc/${pid}/fd/${fd}`))?.[1];
    if (inode !== undefined) sockets.add(inode);
  }
  const serverPort = `:${Number(new URL(databaseUrl).port || 5432).toString(16).toUpperCase().padStart(4, '0')}`;
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl, local address, remote address, ..., inode (the tenth field).
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && sockets.has(fields[9]) && fields[2].endsWith(serverPort)) ports.push(parseInt(fields[1].split(':')[1], 16));
    }
  }
  const { rows } = await withClient(databaseUrl, (client) => client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]));
  return new Map(rows.map(({ pid: backend }) => [backend, processCpu(backend).cpuMs]));
}

/** The CPU (ms) backends spent between two snapshots of backendCpuMs (one that is gone by the second is left out). */
export function backendCpuSpentMs(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let spent = 0;
  for (const [backend, cpuMs] of after) spent += cpuMs - (before.get(backend) ?? 0);
  return spent;
}

const readlinkSyncOrEmpty = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    // The descriptor closed since the directory was read.
    return '';
  }
};

/** Microseconds of garbage collection since the service started, and how many young- and old-generation collections. */
export async function gcOf(service: ServiceProcess): Promise<{ us: number; scavenges: number; fulls: number }> {
  const text = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } }).then((response) => response.text());
  const seconds = [...text.matchAll(/^popledger_nodejs_gc_duration_seconds_sum\{kind="[^"]+"\} (\S+)$/gm)].reduce((sum, [, value]) => sum + Number(value), 0);
  const count = (kind: string) => Number(new RegExp(`^popledger_nodejs_gc_duration_seconds_count\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { us: seconds * 1e6, scavenges: count('minor'), fulls: count('major') };
}

/** Runs a probe's main, failing the process on an error. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
