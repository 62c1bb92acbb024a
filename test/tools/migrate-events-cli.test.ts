import { allProjections } from '../../src/app/all-projections.registry';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSqlClient } from '../../src/platform/database/sql-client.factory';
import { EsdbEventStore } from '../../src/platform/event-store/esdb-event-store.adapter';
import type { EventStore, RecordedEvent } from '../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../src/platform/event-store/postgres-event-store.adapter';
import { readWholeLog } from '../../src/tools/migrate/log-cursor.util';
import { NetworkGenerator } from '../../src/tools/seed/network-generator.seed';
import { writeCommandShaped } from '../support/command-shaped-log';
import { startKurrentDbDouble, type KurrentDbDouble } from '../support/kurrentdb-double';
import { readModelSnapshot } from '../support/read-model-snapshot';
import { graphql, waitForProjections } from '../support/service-client';
import { startServiceProcess } from '../support/service-process';
import { schemaUrl, withClient } from '../support/service-storage';

const OUT = resolve(__dirname, '..', '..');
const MIGRATE = join(OUT, 'src', 'tools', 'cli', 'migrate-events.cli.js');
const REBUILD = join(OUT, 'src', 'tools', 'cli', 'rebuild.cli.js');
const ADMIN = 'secret-admin-migrate-0123456789';
const API_KEYS = `admin:admin:${ADMIN}`;
const DATABASE_URL = process.env.DATABASE_URL;
const TIMEOUT = { timeout: 600_000 };
/** The network's "now": every answer is asked at this instant. */
const END = Date.parse('2026-06-01T00:00:00.000Z');
const AS_OF = '2026-05-15T00:00:00.000Z';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The compiled CLI as `npm run migrate-events` runs it, with none of this process's store settings. */
function migrate(args: string[], onStart?: (child: ChildProcess) => void): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MIGRATE, ...args], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    onStart?.(child);
  });
}

/** A store location and how to open it from this process (never while a CLI or service has a PGlite directory open). */
interface Location {
  /** As --from / --to take it. */
  arg: string;
  /** DATA_DIR or DATABASE_URL of a service or the rebuild CLI on it. */
  env: Record<string, string>;
  open(): Promise<{ store: EventStore; close(): Promise<void> }>;
}

const disposals: Array<() => Promise<void>> = [];

async function pgliteLocation(): Promise<Location> {
  const dir = await mkdtemp(join(tmpdir(), 'pop-ledger-migrate-'));
  disposals.push(() => rm(dir, { recursive: true, force: true }));
  return {
    arg: dir,
    env: { DATA_DIR: dir },
    async open() {
      const sql = await createSqlClient({ dataDir: dir });
      return { store: new PostgresEventStore(sql), close: () => sql.close() };
    },
  };
}

async function postgresLocation(databaseUrl: string): Promise<Location> {
  const schema = `migrate_${randomBytes(5).toString('hex')}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  disposals.push(() => withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined));
  const url = schemaUrl(databaseUrl, schema);
  return {
    arg: url,
    env: { DATABASE_URL: url },
    async open() {
      const sql = await createSqlClient({ databaseUrl: url, poolSize: 2 });
      return { store: new PostgresEventStore(sql), close: () => sql.close() };
    },
  };
}

async function esdbLocation(options: { holdWrite?(streamId: string, events: number): boolean } = {}): Promise<Location & { double: KurrentDbDouble }> {
  const double = await startKurrentDbDouble({ statsPeriodMs: 200, ...options });
  disposals.push(() => double.close());
  return {
    double,
    // KurrentDB's own scheme: the CLI takes every scheme EVENTSTORE_CONNECTION_STRING takes.
    arg: double.connectionString.replace(/^esdb:/, 'kurrentdb:'),
    env: { EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString },
    async open() {
      const store = new EsdbEventStore(double.connectionString);
      return { store, close: () => store.close() };
    },
  };
}

type LoggedEvent = Pick<RecordedEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata'>;

async function logAt(location: Location): Promise<LoggedEvent[]> {
  const { store, close } = await location.open();
  try {
    const events = await readWholeLog(store, 1_000);
    return events.map(({ eventId, streamId, revision, type, data, metadata }) => ({ eventId, streamId, revision, type, data, metadata }));
  } finally {
    await close();
  }
}

/** A realistic small network, command by command (one append per command, streams interleaved): its PoP ids. */
async function writeNetwork(location: Location): Promise<string[]> {
  const generator = new NetworkGenerator({ pops: 6, years: 2, seed: 11, workloads: 8, endMs: END, provenance: { actor: 'seed', source: 'cli' } });
  const { store, close } = await location.open();
  try {
    await writeCommandShaped(store, [generator.popStreams(), generator.referenceStreams(), generator.workloadStreams()]);
  } finally {
    await close();
  }
  return generator.summaries.map((summary) => summary.popId);
}

const RESIDENCY = `query($asOf: DateTime) { residencyReport(asOf: $asOf) {
  summary { compliant violations unassessed }
  rows { workloadId tenant dataCategory popId popCode countryCode role placedAt policyId outcome reason evidence { eventId type streamId effectiveAt actor } } } }`;
const COST_SUMMARY = `query($asOf: DateTime) { costSummary(groupBy: COUNTRY, asOf: $asOf, currency: "EUR") {
  key popCount monthlyRecurring { amount currency } converted { amount currency } } }`;

/**
 * Capacity and cost of every PoP, the cost summary and the residency report, from a service started on
 * `location` once its projections caught up. Evidence is compared without `recordedAt`: that is the time
 * the store recorded an event, which a copy cannot carry over (each store sets its own).
 */
async function answersAt(location: Location, popIds: string[]): Promise<Record<string, unknown>> {
  const service = await startServiceProcess({ env: { ...location.env, API_KEYS } });
  try {
    assert.ok(await waitForProjections(service.url, ADMIN, 300_000), 'projections catch up');
    const pops = await readModelSnapshot(service.url, ADMIN, popIds, AS_OF);
    const cost = await graphql(service.url, ADMIN, COST_SUMMARY, { asOf: AS_OF });
    const residency = await graphql(service.url, ADMIN, RESIDENCY, { asOf: AS_OF });
    assert.deepEqual([cost.errors, residency.errors], [undefined, undefined]);
    return { pops, costSummary: cost.data, residency: residency.data };
  } finally {
    await service.stop();
  }
}

function rebuild(location: Location): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [REBUILD], { env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...location.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

function assertIdentical(run: Run, events: number): void {
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const [source, target] = [/^source: (\d+) events, sha256 ([0-9a-f]{64})$/m.exec(run.stdout), /^target: (\d+) events, sha256 ([0-9a-f]{64})/m.exec(run.stdout)];
  assert.ok(source && target, run.stdout);
  assert.deepEqual([Number(source[1]), Number(target[1]), target[2]], [events, events, source[2]]);
  assert.match(run.stdout, /The logs are identical/);
}

after(async () => {
  for (const dispose of disposals.reverse()) await dispose().catch((error: Error) => console.error(`cleanup: ${error.message}`));
});

describe('npm run migrate-events', () => {
  let original: Location;
  let popIds: string[];
  let originalLog: LoggedEvent[];
  before(async () => {
    original = await pgliteLocation();
    popIds = await writeNetwork(original);
    originalLog = await logAt(original);
  });

  test(
    `${DATABASE_URL ? 'embedded → PostgreSQL → EventStoreDB (the KurrentDB double) → PostgreSQL' : 'embedded → EventStoreDB (the KurrentDB double) → embedded (with DATABASE_URL: through PostgreSQL both ways)'}: the same log, and after a rebuild the same answers`,
    TIMEOUT,
    async () => {
      const chain = DATABASE_URL
        ? [original, await postgresLocation(DATABASE_URL), await esdbLocation(), await postgresLocation(DATABASE_URL)]
        : [original, await esdbLocation(), await pgliteLocation()];
      const before = await answersAt(original, popIds);
      for (let i = 1; i < chain.length; i++) assertIdentical(await migrate(['--from', chain[i - 1].arg, '--to', chain[i].arg]), originalLog.length);
      const last = chain[chain.length - 1];
      assert.deepEqual(await logAt(last), originalLog, 'the same ids, streams, revisions, types, data and metadata in the same order');
      const rebuilt = await rebuild(last);
      assert.equal(rebuilt.code, 0, rebuilt.stderr);
      const names = allProjections({ CAPACITY_WARN_PERCENT: 70, CAPACITY_CRITICAL_PERCENT: 80 }).map(({ name }) => name);
      assert.match(rebuilt.stdout, new RegExp(`Rebuilt ${names.join(', ')}: ${originalLog.length} events`));
      assert.deepEqual(await answersAt(last, popIds), before);
    },
  );

  test('SIGKILLed midway, it resumes with --resume after the last event the target holds and ends identical', TIMEOUT, async () => {
    // The double holds the first write past half the log: the CLI waits there, and is killed.
    const half = Math.floor(originalLog.length / 2);
    let written = 0;
    let holding = true;
    let reachedHold!: () => void;
    const held = new Promise<void>((resolve) => (reachedHold = resolve));
    const target = await esdbLocation({
      holdWrite(_streamId, events) {
        if (!holding) return false;
        if (written + events > half) {
          reachedHold();
          return true;
        }
        written += events;
        return false;
      },
    });
    const killed = await migrate(['--from', original.arg, '--to', target.arg], (child) => void held.then(() => child.kill('SIGKILL')));
    assert.equal(killed.signal, 'SIGKILL', `${killed.stdout}\n${killed.stderr}`);
    holding = false;
    const partial = await logAt(target);
    assert.equal(partial.length, written);
    assert.ok(partial.length > 0 && partial.length < originalLog.length, `killed midway: ${partial.length} of ${originalLog.length} events copied`);
    assert.deepEqual(partial, originalLog.slice(0, partial.length));

    const refused = await migrate(['--from', original.arg, '--to', target.arg]);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      'The target already holds events: migrate-events copies only into an empty store (to continue an interrupted copy from this same source, run it again with --resume)\n',
    );

    const resumed = await migrate(['--from', original.arg, '--to', target.arg, '--resume']);
    assertIdentical(resumed, originalLog.length);
    assert.match(resumed.stdout, new RegExp(`^Copied ${originalLog.length - partial.length} events .*; ${partial.length} events were already there \\(resumed\\)$`, 'm'));
    assert.deepEqual(await logAt(target), originalLog);
  });

  test('wrong command lines and unusable stores answer one line and exit 2, writing nothing', TIMEOUT, async () => {
    const empty = await pgliteLocation();
    const cases: Array<[string[], RegExp]> = [
      [['--from', original.arg], /^--from and --to are both required\nusage: npm run migrate-events/],
      [['--from', original.arg, '--to', original.arg], /^--from and --to name the same store\n$/],
      [['--from', original.arg, '--to', 'mysql://db/x'], /^--to mysql:\/\/ is no store this tool knows/],
      [['--from', 'memory://', '--to', empty.arg], /^--from memory:\/\/ holds nothing beyond this process/],
      [['--from', join(empty.arg, 'missing'), '--to', empty.arg], /^--from .*missing is no embedded data directory \(no PG_VERSION in it\)\n$/],
      [['--from', original.arg, '--to', 'esdb://127.0.0.1:1?tls=false', '--max-append-bytes', '0'], /^the maximum append size .* must be an integer from 1 to 16777216, got "0"\n$/],
      [['--from', original.arg, '--to', empty.arg, '--bogus'], /^unknown option --bogus\n/],
    ];
    for (const [args, stderr] of cases) {
      const run = await migrate(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, stderr);
      assert.equal(run.stdout, '');
    }
    const help = await migrate(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run migrate-events -- --from <store> --to <store> \[--resume\]/);
  });
});
