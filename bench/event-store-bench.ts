import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createSqlClient } from '../src/platform/database/sql-client.factory';
import type { NewEvent } from '../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../src/platform/event-store/postgres-event-store.adapter';
import { createServiceStorage, schemaUrl, withClient } from '../test/support/service-storage';

export interface StoreSizes {
  streams: number;
  /** Single-event appends in all (spread evenly over the streams). */
  events: number;
  concurrency: number;
  /** Measured rounds per store (alternating ours and Emmett); the best round counts. */
  rounds: number;
}

export interface StoreComparison {
  oursAppendPerS: number;
  emmettAppendPerS: number;
  oursReadPerS: number;
  emmettReadPerS: number;
  rawInsertPerS: number;
}

/** What a store under test must do: append one event to a stream at a known revision, read a stream. */
export interface StoreUnderTest {
  append(streamId: string, event: NewEvent, revision: number): Promise<void>;
  read(streamId: string): Promise<number>;
  close(): Promise<void>;
}

const POOL_SIZE = 20;

/** A DeviceInstalled event as the service writes it (same payload for every store). */
export function sampleEvent(i: number): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type: 'DeviceInstalled',
    data: {
      popId: 'fra1',
      deviceId: `d${i}`,
      rackId: 'r1',
      name: 'Dell PowerEdge R650',
      role: 'SERVER',
      positionU: (i % 42) + 1,
      heightU: 1,
      powerDrawWatts: 450,
      purchaseCost: { amount: '9500.00', currency: 'EUR' },
    },
    metadata: { effectiveAt: new Date().toISOString(), actor: 'bench', source: 'cli', commandId, correlationId: commandId, schemaVersion: 1 },
  };
}

/**
 * Ours against @event-driven-io/emmett-postgresql on the same server, with the same event shapes,
 * the same number of streams and the same 16 concurrent callers (each owning its streams, so no
 * append conflicts): single-event appends, then every stream read back. Plus a raw batched INSERT
 * into a plain table, the ceiling for appending on this server. Each store gets its own schema.
 * Emmett runs in a child process: its driver layer (dumbo) changes node-postgres' global type
 * parsers (int8 to BigInt, JSON), which would change what our client reads in the same process.
 */
export async function compareEventStores(databaseUrl: string, sizes: StoreSizes): Promise<StoreComparison> {
  const best = { oursAppendPerS: 0, emmettAppendPerS: 0, oursReadPerS: 0, emmettReadPerS: 0 };
  for (let round = 1; round <= sizes.rounds; round++) {
    const ours = await inFreshSchema(databaseUrl, 'bench_ours', (schema) => runOn(openOurs(databaseUrl, schema), sizes));
    const emmett = await inFreshSchema(databaseUrl, 'bench_emmett', (schema) => runEmmettProbe(databaseUrl, schema, sizes));
    for (const [name, r] of [['ours', ours], ['emmett', emmett]] as const) {
      best[`${name}AppendPerS`] = Math.max(best[`${name}AppendPerS`], r.appendPerS);
      best[`${name}ReadPerS`] = Math.max(best[`${name}ReadPerS`], r.readPerS);
      console.log(`  ${name} round ${round}: append ${Math.round(r.appendPerS)} events/s, read ${Math.round(r.readPerS)} events/s`);
    }
  }
  return { ...best, rawInsertPerS: await rawInsert(databaseUrl, sizes.events) };
}

export interface StoreRates {
  appendPerS: number;
  readPerS: number;
}

async function inFreshSchema<T>(databaseUrl: string, label: string, run: (schema: string) => Promise<T>): Promise<T> {
  const storage = await createServiceStorage('postgres', databaseUrl, label);
  try {
    return await run(storage.schema as string);
  } finally {
    await storage.dispose();
  }
}

export async function runOn(opening: Promise<StoreUnderTest>, sizes: StoreSizes): Promise<StoreRates> {
  const store = await opening;
  try {
    return await exercise(store, sizes);
  } finally {
    await store.close();
  }
}

function runEmmettProbe(databaseUrl: string, schema: string, sizes: StoreSizes): Promise<StoreRates> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'emmett-probe.js'), databaseUrl, schema, JSON.stringify(sizes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = output.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`the Emmett probe exited with ${code}: ${output.slice(-500)}`));
      resolve(JSON.parse(last) as StoreRates);
    });
  });
}

async function exercise(store: StoreUnderTest, sizes: StoreSizes): Promise<StoreRates> {
  const streamIds = Array.from({ length: sizes.streams }, (_, i) => `bench-${i}-${randomUUID().slice(0, 8)}`);
  const revisions = new Array<number>(sizes.streams).fill(-1);
  // Warm-up: the first event of every stream (creates the streams; JIT, pool and plan caches warm up).
  await inCallers(sizes.concurrency, sizes.streams, async (s) => {
    await store.append(streamIds[s], sampleEvent(s), revisions[s]);
    revisions[s] += 1;
  });
  const perCaller = Math.floor(sizes.events / sizes.concurrency);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sizes.concurrency }, async (_, caller) => {
      const own = streamIds.map((_, s) => s).filter((s) => s % sizes.concurrency === caller);
      for (let i = 0; i < perCaller; i++) {
        const s = own[i % own.length];
        await store.append(streamIds[s], sampleEvent(i), revisions[s]);
        revisions[s] += 1;
      }
    }),
  );
  const appendPerS = (perCaller * sizes.concurrency) / ((performance.now() - started) / 1000);
  // Warm-up: every stream read once, untimed, so both pools hold a connection per reader. Our group
  // commit appends over a few connections and Emmett's appends over one per caller: without it, ours
  // opened a dozen connections inside the timed read and Emmett none.
  await inCallers(sizes.concurrency, sizes.streams, async (s) => void (await store.read(streamIds[s])));
  let read = 0;
  const readStarted = performance.now();
  await inCallers(sizes.concurrency, sizes.streams, async (s) => {
    const events = await store.read(streamIds[s]);
    read += events;
  });
  const readPerS = read / ((performance.now() - readStarted) / 1000);
  const expected = revisions.reduce((sum, r) => sum + r + 1, 0);
  if (read !== expected) throw new Error(`read back ${read} events, expected ${expected}`);
  return { appendPerS, readPerS };
}

/** Items 0..count-1 shared by `callers` concurrent loops. */
async function inCallers(callers: number, count: number, work: (item: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let item = next++; item < count; item = next++) await work(item);
  }));
}

async function openOurs(databaseUrl: string, schema: string): Promise<StoreUnderTest> {
  const sql = await createSqlClient({ databaseUrl, schema, poolSize: POOL_SIZE });
  const store = new PostgresEventStore(sql);
  await store.ready();
  return {
    append: async (streamId, event, revision) => void (await store.append(streamId, [event], revision < 0 ? 'no_stream' : revision)),
    read: async (streamId) => (await store.readStream(streamId)).length,
    close: () => sql.close(),
  };
}

interface EmmettStore {
  appendToStream(streamName: string, events: Array<{ type: string; data: object; metadata?: object }>, options?: { expectedStreamVersion?: bigint | string }): Promise<unknown>;
  readStream(streamName: string): Promise<{ events: unknown[] }>;
  schema: { migrate(): Promise<unknown> };
  close(): Promise<void>;
}

export async function openEmmett(databaseUrl: string, schema: string): Promise<StoreUnderTest> {
  // ESM-only package: loaded with a dynamic import, which the CommonJS build keeps.
  const { getPostgreSQLEventStore } = (await import('@event-driven-io/emmett-postgresql')) as unknown as {
    getPostgreSQLEventStore(connectionString: string, options: object): EmmettStore;
  };
  const connectionString = schemaUrl(databaseUrl, schema);
  const pool = new Pool({ connectionString, max: POOL_SIZE });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  await store.schema.migrate();
  return {
    append: async (streamId, event, revision) => {
      // Emmett numbers a stream's events from 1; 0 is "no stream yet".
      await store.appendToStream(streamId, [{ type: event.type, data: event.data, metadata: event.metadata }], { expectedStreamVersion: BigInt(revision + 1) });
    },
    read: async (streamId) => (await store.readStream(streamId)).events.length,
    close: async () => {
      await store.close();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Batched INSERT (1,000 rows per statement, 4 connections) into a plain table with the same columns. */
async function rawInsert(databaseUrl: string, events: number): Promise<number> {
  const storage = await createServiceStorage('postgres', databaseUrl, 'bench_raw');
  try {
    const table = `"${storage.schema}".raw_events`;
    await withClient(databaseUrl, (c) =>
      c.query(`CREATE TABLE ${table} (global_position bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`),
    );
    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    const batch = 1_000;
    const batches = Math.ceil(events / batch);
    const started = performance.now();
    await inCallers(4, batches, async (b) => {
      const rows = Array.from({ length: batch }, (_, i) => sampleEvent(b * batch + i));
      await pool.query(
        `INSERT INTO ${table} (stream_id, revision, event_id, type, data, metadata)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [rows.map((_, i) => `raw-${(b * batch + i) % 1_000}`), rows.map((_, i) => b * batch + i), rows.map((r) => r.eventId), rows.map((r) => r.type), rows.map((r) => JSON.stringify(r.data)), rows.map((r) => JSON.stringify(r.metadata))],
      );
    });
    const perS = (batches * batch) / ((performance.now() - started) / 1000);
    await pool.end();
    console.log(`  raw batched INSERT: ${Math.round(perS)} events/s`);
    return perS;
  } finally {
    await storage.dispose();
  }
}
