import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allProjections } from '../../src/app/all-projections.registry';
import type { SqlClient } from '../../src/platform/database/sql-client.port';
import type { RecordedEvent } from '../../src/platform/event-store/event-store.port';
import { REBUILD_CLI, startCliProcess, type CliProcess } from './service-process';
import { withClient, type ServiceStorage } from './service-storage';
import { openStorageStore } from './storage-store';

/**
 * The read models and the log of a service storage, read straight from the database (not through the
 * API), to prove what a crash left behind. On PGlite the service must not be running on the directory.
 */

/**
 * Every live read-model table and view, in the order the projections declare them. The tables behind a view
 * are left out: how they store the view's rows (e.g. step tables' blocks) depends on how events were batched.
 */
export const READ_MODEL_TABLES: readonly string[] = allProjections({ CAPACITY_WARN_PERCENT: 70, CAPACITY_CRITICAL_PERCENT: 80 }).flatMap(
  (projection) => [...projection.tables, ...(projection.views ?? [])],
);

export interface ReadModels {
  /**
   * Each table's rows, sorted, as JSON with every non-integer number rounded to 12 significant digits:
   * float8 sums depend on how events were grouped into batches (a live runner's small batches, a
   * rebuild's large ones) in their last bits, which no answer shows.
   */
  tables: Record<string, string[]>;
  /** Each table's rows exactly as stored (PostgreSQL's row text), sorted. */
  exact: Record<string, string[]>;
  /** name -> status@position of projection_checkpoints. */
  checkpoints: Record<string, string>;
  /** `__rebuild` scratch tables left behind (by a rebuild that did not finish). */
  scratch: string[];
}

export async function readModelsOf(sql: SqlClient): Promise<ReadModels> {
  const tables: Record<string, string[]> = {};
  const exact: Record<string, string[]> = {};
  const { rows: behindViews } = await sql.query<{ name: string }>(
    'SELECT DISTINCT table_name AS name FROM information_schema.view_table_usage WHERE view_schema = current_schema()',
  );
  const hidden = new Set(behindViews.map((row) => row.name));
  for (const table of READ_MODEL_TABLES.filter((name) => !hidden.has(name))) {
    const { rows } = await sql.query<{ r: string; j: string }>(`SELECT t::text AS r, to_jsonb(t)::text AS j FROM ${table} t`);
    exact[table] = rows.map((row) => row.r).sort();
    tables[table] = rows.map((row) => JSON.stringify(JSON.parse(row.j, (_key, value: unknown) => (typeof value === 'number' ? roundFloat(value) : value)))).sort();
  }
  const { rows: checkpointRows } = await sql.query<{ name: string; status: string; position: string | null }>(
    'SELECT name, status, position FROM projection_checkpoints ORDER BY name',
  );
  const checkpoints = Object.fromEntries(checkpointRows.map((row) => [row.name, `${row.status}@${row.position}`]));
  return { tables, exact, checkpoints, scratch: await scratchTables(sql) };
}

function roundFloat(value: number): number {
  if (Number.isInteger(value)) return value;
  return Math.abs(value) < 1e-9 ? 0 : Number(value.toPrecision(12));
}

export async function scratchTables(sql: SqlClient): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE '%\\_\\_rebuild' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** Tables whose rows differ exactly as stored (in float8 last bits, when `tables` are equal). */
export function exactlyDifferentTables(a: ReadModels, b: ReadModels): string[] {
  return Object.keys(a.exact).filter((table) => JSON.stringify(a.exact[table]) !== JSON.stringify(b.exact[table]));
}

/** "yes", "yes (float8 last bits differ in ...)" or "NO": for a report. */
export function sameReadModels(a: ReadModels, b: ReadModels): string {
  if (JSON.stringify(a.tables) !== JSON.stringify(b.tables)) return 'NO';
  const inexact = exactlyDifferentTables(a, b);
  return inexact.length === 0 ? 'yes' : `yes (float8 last bits differ in ${inexact.join(', ')})`;
}

/** Rows per table and a digest of all of them: a short line for a report. */
export function describeReadModels(models: ReadModels): string {
  const rows = Object.values(models.tables).reduce((n, table) => n + table.length, 0);
  const digest = createHash('sha256').update(JSON.stringify(models.tables)).digest('hex').slice(0, 12);
  return `${rows} rows in ${Object.keys(models.tables).length} tables, sha256 ${digest}`;
}

export interface StoredLog {
  events: number;
  /** Stream -> its events in revision order. */
  streams: Map<string, RecordedEvent[]>;
  /** Every read-model table, the checkpoints and any scratch tables. */
  readModels: ReadModels;
}

/** The events of `streamIds` and the read models, read in one visit to the storage. */
export async function readStorage(storage: ServiceStorage, streamIds: readonly string[]): Promise<StoredLog> {
  const store = await openStorageStore(storage);
  try {
    const streams = new Map<string, RecordedEvent[]>();
    for (const streamId of streamIds) streams.set(streamId, await store.store.readStream(streamId));
    return { events: await store.eventCount(), streams, readModels: await readModelsOf(store.sql) };
  } finally {
    await store.close();
  }
}

/** What is wrong with the stored streams: a revision out of sequence, or an event id twice. Empty when nothing is. */
export function streamDefects(streams: Map<string, RecordedEvent[]>): string[] {
  const defects: string[] = [];
  const seen = new Set<string>();
  for (const [streamId, events] of streams) {
    events.forEach((event, i) => {
      if (event.revision !== i) defects.push(`${streamId}: revision ${event.revision} at index ${i}`);
      if (seen.has(event.eventId)) defects.push(`${streamId}: event ${event.eventId} twice`);
      seen.add(event.eventId);
    });
  }
  return defects;
}

/** Starts `npm run rebuild`'s CLI on the storage (on PGlite the service must not be running). */
export function startRebuildCli(storage: ServiceStorage): CliProcess {
  return startCliProcess(REBUILD_CLI, [], storage.env);
}

const REBUILT = /Rebuilt (.*): (\d+) events in ([\d.]+) s/;

/** Runs the rebuild CLI to the end; its replay time (without process start-up) and events. */
export async function runRebuildCli(storage: ServiceStorage): Promise<{ events: number; seconds: number; wallMs: number }> {
  const started = performance.now();
  const cli = startRebuildCli(storage);
  const code = await cli.exit;
  const match = REBUILT.exec(cli.output());
  if (code !== 0 || !match) throw new Error(`The rebuild CLI ended with ${cli.exitedWith()}:\n${cli.output().slice(-2_000)}`);
  return { events: Number(match[2]), seconds: Number(match[3]), wallMs: performance.now() - started };
}

/**
 * Resolves once a rebuild running on the storage has created its scratch tables: on PostgreSQL seen
 * in the catalog, on PGlite (whose directory the rebuild holds) as new relation files in DATA_DIR/base.
 * Resolves false if `cli` exits first.
 */
export async function rebuildStarted(storage: ServiceStorage, cli: CliProcess, relationFilesBefore: number): Promise<boolean> {
  while (!cli.exited()) {
    if (storage.kind === 'postgres') {
      const { rows } = await withClient(storage.env.DATABASE_URL, (client) =>
        client.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE '%\\_\\_rebuild' LIMIT 1`),
      );
      if (rows.length > 0) return true;
    } else if ((await relationFiles(storage)) >= relationFilesBefore + READ_MODEL_TABLES.length) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** Files under a PGlite directory's base/ (one or more per relation); 0 on PostgreSQL. */
export async function relationFiles(storage: ServiceStorage): Promise<number> {
  if (storage.kind !== 'pglite') return 0;
  const base = join(storage.env.DATA_DIR, 'base');
  let files = 0;
  for (const database of await readdir(base)) files += (await readdir(join(base, database))).length;
  return files;
}
