import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { withClient } from '../test/support/service-storage';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryMb: number;
  node: string;
  os: string;
  pg: string | null;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverage: number;
}

export async function machineInfo(databaseUrl: string | undefined): Promise<Machine> {
  const pg = databaseUrl ? await withClient(databaseUrl, async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0].v).catch(() => null) : null;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    os: `${osType()} ${release()}`,
    pg,
    loadAverage: Number(loadavg()[0].toFixed(2)),
  };
}
