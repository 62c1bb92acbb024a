import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestEventStore } from './test-event-store';

/**
 * Storage for a service started as a separate process (`node dist/src/main.js`), which only reads
 * its environment: a fresh schema on the PostgreSQL server, selected through the connection
 * string's search_path, or a temporary PGlite directory. Both are removed by `dispose`. With
 * EVENT_STORE=esdb in the environment, the events go to a KurrentDB double of the storage's own
 * (test-event-store.ts), which `env` names and `dispose` closes.
 */
export interface ServiceStorage {
  kind: 'postgres' | 'pglite';
  /** DATABASE_URL (with the schema) or DATA_DIR; with EVENT_STORE=esdb also EVENT_STORE and EVENTSTORE_CONNECTION_STRING. */
  env: Record<string, string>;
  /** PostgreSQL only. */
  schema?: string;
  dispose(): Promise<void>;
}

/** A connection string whose sessions work in `schema` (libpq `options`, understood by node-postgres). */
export function schemaUrl(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // URLSearchParams writes spaces as "+", which a connection string does not decode.
  return url.toString().replace(/\+/g, '%20');
}

export async function createServiceStorage(kind: 'postgres' | 'pglite', databaseUrl = process.env.DATABASE_URL, label = 'svc'): Promise<ServiceStorage> {
  // EVENT_STORE=esdb in the environment: the events go to a KurrentDB double of this storage's own.
  const events = await createTestEventStore();
  const storage = await createReadStorage(kind, databaseUrl, label).catch(async (error: unknown) => {
    await events.dispose();
    throw error;
  });
  return {
    ...storage,
    env: { ...storage.env, ...events.env },
    async dispose() {
      await storage.dispose();
      await events.dispose();
    },
  };
}

async function createReadStorage(kind: 'postgres' | 'pglite', databaseUrl: string | undefined, label: string): Promise<ServiceStorage> {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), `pop-ledger-${label}-`));
    return { kind, env: { DATA_DIR: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  if (!databaseUrl) throw new Error('DATABASE_URL is needed for PostgreSQL storage');
  const schema = `${label}_${randomBytes(5).toString('hex')}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    kind,
    schema,
    env: { DATABASE_URL: schemaUrl(databaseUrl, schema) },
    dispose: () => withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

export async function withClient<T>(databaseUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
