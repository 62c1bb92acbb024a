import { mkdir } from 'node:fs/promises';
import { PgliteSqlClient } from './pglite-sql-client.adapter';
import { PostgresSqlClient } from './postgres-sql-client.adapter';
import type { SqlClient } from './sql-client.port';

export interface SqlClientOptions {
  /** PostgreSQL server; when unset, embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing); undefined: in memory. */
  dataDir?: string;
  /** PGlite in memory only: start from this dump of a cluster (PgliteSqlClient.create). */
  initialData?: Blob;
  /** PostgreSQL only: schema created if absent and used as search_path. */
  schema?: string;
  /** PostgreSQL only: connection pool size (default 20). */
  poolSize?: number;
  /** How long a prepared statement's plan is kept (default PLAN_LIFETIME_MS). */
  planLifetimeMs?: number;
}

export async function createSqlClient(options: SqlClientOptions): Promise<SqlClient> {
  if (options.databaseUrl) {
    return PostgresSqlClient.create({ databaseUrl: options.databaseUrl, schema: options.schema, poolSize: options.poolSize, planLifetimeMs: options.planLifetimeMs });
  }
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  return PgliteSqlClient.create({ dataDir: options.dataDir, initialData: options.initialData, planLifetimeMs: options.planLifetimeMs });
}
