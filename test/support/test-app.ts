import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app/app.factory';
import { AppConfig, loadConfig } from '../../src/platform/config/app.config';
import { createSqlClient } from '../../src/platform/database/sql-client.factory';
import { ROLES, Role } from '../../src/platform/api/auth/roles.types';
import { emptyPgliteCluster } from './pglite-template';
import { dropSchema } from './test-databases';
import { createTestEventStore } from './test-event-store';

/** One key per role, named after it: `Bearer secret-<role>-0123456789`. */
export const KEYS: Record<Role, string> = Object.fromEntries(ROLES.map((r) => [r, `secret-${r}-0123456789`])) as Record<Role, string>;
export const API_KEYS = ROLES.map((r) => `${r}:${r}:${KEYS[r]}`).join(',');

/**
 * Environment for a test app whose tests assert `projected: true` (read your writes): a bound of 60 s
 * instead of 5 s, so that the answer never depends on the machine's speed; a projection that never
 * catches up (or FAILED) still answers `projected: false`.
 */
export const PATIENT_READS: NodeJS.ProcessEnv = { READ_YOUR_WRITES_TIMEOUT_MS: '60000' };

export interface GqlResponse<T> {
  status: number;
  data: T;
  errors?: Array<{ message: string; extensions: Record<string, any>; path?: unknown[] }>;
}

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  /** POST /graphql over HTTP as `role` (default admin), or with a raw Authorization header, or none. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, auth?: Role | { header?: string }): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/**
 * Where a test app keeps its data: PGlite in memory (or in a temp directory when it must survive a
 * restart), or a fresh schema on the PostgreSQL server when DATABASE_URL is set; with EVENT_STORE=esdb,
 * its events on a KurrentDB double of its own (test-event-store.ts).
 */
export interface TestStorage {
  env: NodeJS.ProcessEnv;
  overrides: Partial<AppConfig>;
  dispose(): Promise<void>;
}

export async function createTestStorage(options: { persistent?: boolean } = {}): Promise<TestStorage> {
  // EVENT_STORE=esdb in the environment: the events go to a KurrentDB double of this storage's own.
  const events = await createTestEventStore();
  const storage = await createReadStorage(options);
  return {
    env: { ...storage.env, ...events.env },
    overrides: storage.overrides,
    async dispose() {
      await storage.dispose();
      await events.dispose();
    },
  };
}

async function createReadStorage(options: { persistent?: boolean }): Promise<TestStorage> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const schema = `test_app_${randomBytes(6).toString('hex')}`;
    return { env: { DATABASE_URL: databaseUrl }, overrides: { databaseSchema: schema }, dispose: () => dropSchema(databaseUrl, schema) };
  }
  if (!options.persistent) return { env: { DATA_DIR: 'memory://' }, overrides: { pgliteInitialData: await emptyPgliteCluster() }, dispose: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'pop-ledger-test-'));
  return { env: { DATA_DIR: dir }, overrides: {}, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts the whole service on a free loopback port. Without `storage`, it gets (and later drops) its own. */
export async function startTestApp(
  overrides: Partial<AppConfig> = {},
  env: NodeJS.ProcessEnv = {},
  storage?: TestStorage,
): Promise<TestApp> {
  const own = storage ? undefined : await createTestStorage();
  const store = storage ?? (own as TestStorage);
  // The per-key rate limit is off unless a test asks for it (test/platform/api/rate-limit.test.ts does).
  const config = loadConfig({ LOG_LEVEL: 'warn', API_KEYS, RATE_LIMIT_PER_SECOND: '0', ...store.env, ...env }, { ...store.overrides, ...overrides });
  const app = await createApp(config, () => undefined);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    async gql(query, variables, auth = 'admin') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (typeof auth === 'string') headers.authorization = `Bearer ${KEYS[auth]}`;
      else if (auth.header !== undefined) headers.authorization = auth.header;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data: any; errors?: any[] };
      return { status: response.status, data: body.data, errors: body.errors };
    },
    async close() {
      await app.close();
      await own?.dispose();
    },
  };
}

/**
 * Puts `storage`'s read models back as a previous version left them (the upgrade tests): runs `statements` on
 * its database and forgets the migration `migrationId`, so that the next start applies it again.
 */
export async function undoMigration(storage: TestStorage, migrationId: string, statements: string): Promise<void> {
  const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn' }, storage.overrides);
  const sql = await createSqlClient({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: config.databaseSchema });
  try {
    await sql.query(statements);
    await sql.query('DELETE FROM schema_migrations WHERE id = $1', [migrationId]);
  } finally {
    await sql.close();
  }
}

/** Starts the service on `storage` with patient reads and waits (30 s at most) until every projection has caught up with the log. */
export async function startCaughtUp(storage: TestStorage): Promise<TestApp> {
  const app = await startTestApp({}, PATIENT_READS, storage);
  const lag = async () => (await app.gql<{ projectionStatus: Array<{ lagEvents: number }> }>('{ projectionStatus { lagEvents } }')).data.projectionStatus;
  const deadline = Date.now() + 30_000;
  while ((await lag()).some((p) => p.lagEvents > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return app;
}
