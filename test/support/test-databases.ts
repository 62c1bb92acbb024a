import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createSqlClient } from '../../src/platform/database/sql-client.factory';
import { PgliteSqlClient } from '../../src/platform/database/pglite-sql-client.adapter';
import type { SqlClient } from '../../src/platform/database/sql-client.port';
import { emptyPgliteCluster } from './pglite-template';

export interface TestDatabase {
  sql: SqlClient;
  /** Closes the client and removes everything the test created. */
  dispose(): Promise<void>;
}

export interface TestDatabaseFactory {
  name: 'pglite' | 'postgres';
  /** `planLifetimeMs` as the clients take it; `poolSize` for the server (default TEST_POOL_SIZE). */
  create(options?: { planLifetimeMs?: number; poolSize?: number }): Promise<TestDatabase>;
}

/** Small pools: test files run in parallel processes against one server. */
const TEST_POOL_SIZE = 8;

/**
 * The databases a test should run against: an in-memory PGlite always, and the PostgreSQL server
 * of DATABASE_URL when set, each test database in a fresh schema dropped by dispose().
 * TEST_DATABASES=postgres leaves PGlite out: CI's server run sets it, since its embedded run has
 * already run every PGlite case.
 */
export function testDatabases(): TestDatabaseFactory[] {
  const databaseUrl = process.env.DATABASE_URL;
  const pglite: TestDatabaseFactory = {
    name: 'pglite',
    async create(options = {}) {
      const sql = await PgliteSqlClient.create({ initialData: await emptyPgliteCluster(), planLifetimeMs: options.planLifetimeMs });
      return { sql, dispose: () => sql.close() };
    },
  };
  if (!databaseUrl) return [pglite];
  const serverOnly = process.env.TEST_DATABASES === 'postgres';
  const postgres: TestDatabaseFactory = {
    name: 'postgres',
    async create(options = {}) {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const sql = await createSqlClient({ databaseUrl, schema, poolSize: options.poolSize ?? TEST_POOL_SIZE, planLifetimeMs: options.planLifetimeMs });
      return {
        sql,
        async dispose() {
          await sql.close();
          await dropSchema(databaseUrl, schema);
        },
      };
    },
  };
  return serverOnly ? [postgres] : [pglite, postgres];
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
