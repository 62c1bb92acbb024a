import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createSqlClient } from '../src/platform/database/sql-client.factory';
import { PostgresEventStore } from '../src/platform/event-store/postgres-event-store.adapter';
import { NetworkGenerator } from '../src/tools/seed/network-generator.seed';
import { writeCommandShaped } from '../test/support/command-shaped-log';
import { freePort } from '../test/support/service-process';
import type { ServiceStorage } from '../test/support/service-storage';

export interface MigrateMeasurement {
  events: number;
  appends: number;
  writes: number;
  /** The CLI's copy and read-back (verification) times, as it reports them (no process start-up). */
  copySeconds: number;
  verifySeconds: number;
  wallSeconds: number;
  eventsPerS: number;
}

const COPIED = /^Copied (\d+) events \((\d+) appends in (\d+) writes\) from .* in ([\d.]+) s /m;
const READ_BACK = /read back in ([\d.]+) s\)$/m;
const IDENTICAL = /^The logs are identical/m;

/**
 * `migrate-events` from an embedded PGlite directory to a PostgreSQL schema: the source holds a generated
 * network written command by command (one small append per command, streams interleaved, as the service
 * writes a production log), the CLI runs as a child process like `npm run migrate-events`. The rate is
 * events / (copy + read-back) as the CLI reports them, like the rebuild's.
 */
export async function measureMigrate(
  outDir: string,
  source: ServiceStorage,
  target: ServiceStorage,
  network: { pops: number; years: number; workloads: number },
  endMs: number,
): Promise<MigrateMeasurement> {
  if (source.kind !== 'pglite' || target.kind !== 'postgres') throw new Error('migrate bench: from PGlite to PostgreSQL');
  const generator = new NetworkGenerator({ ...network, seed: 3, endMs, provenance: { actor: 'bench', source: 'cli' } });
  const sql = await createSqlClient({ dataDir: source.env.DATA_DIR });
  let written: { events: number; appends: number };
  try {
    written = await writeCommandShaped(new PostgresEventStore(sql), [generator.popStreams(), generator.referenceStreams(), generator.workloadStreams()]);
  } finally {
    await sql.close();
  }
  console.log(`  source: ${written.events} events in ${written.appends} appends (${generator.stats.pops} PoPs, ${generator.stats.workloads} workloads), command by command`);

  const started = performance.now();
  const output = await run(process.execPath, [join(outDir, 'src', 'tools', 'cli', 'migrate-events.cli.js'), '--from', source.env.DATA_DIR, '--to', target.env.DATABASE_URL]);
  const wallSeconds = (performance.now() - started) / 1000;
  const copied = COPIED.exec(output);
  const readBack = READ_BACK.exec(output);
  if (!copied || !readBack || !IDENTICAL.test(output)) throw new Error(`migrate-events: ${output.slice(-600)}`);
  const [events, appends, writes, copySeconds] = [Number(copied[1]), Number(copied[2]), Number(copied[3]), Number(copied[4])];
  if (events !== written.events) throw new Error(`migrate-events copied ${events} of ${written.events} events`);
  const verifySeconds = Number(readBack[1]);
  return { events, appends, writes, copySeconds, verifySeconds, wallSeconds, eventsPerS: events / Math.max(copySeconds + verifySeconds, 0.001) };
}

export interface DoubleProcess {
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * The KurrentDB double (test/support/kurrentdb-double) as a process of its own, as a server would be:
 * `node <out>/test/support/kurrentdb-double/main.js --port P`, ready once it prints its connection string.
 */
export async function startDoubleProcess(outDir: string): Promise<DoubleProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(outDir, 'test', 'support', 'kurrentdb-double', 'main.js'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const connectionString = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^(esdb:\/\/\S+)$/m.exec(output);
      if (line) resolve(line[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the KurrentDB double exited with ${code} before it was ready: ${output.slice(-400)}`)));
    child.once('error', reject);
  });
  return { connectionString, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`exited with ${code}: ${output.slice(-600)}`))));
  });
}
