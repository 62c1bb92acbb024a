import { AppConfig } from '../config/app-config';
import { allMigrations } from './all-migrations';
import { createSqlClient } from './create-sql-client';
import { runMigrations } from './migrations';
import { SqlClient } from './sql-client';

/** The configured read store (PGlite under DATA_DIR, or DATABASE_URL), migrated to the current schema. */
export async function openSqlClient(config: AppConfig): Promise<SqlClient> {
  const sql = await createSqlClient({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR.startsWith('memory://') ? undefined : config.DATA_DIR,
    schema: config.databaseSchema,
  });
  await runMigrations(sql, allMigrations(config));
  return sql;
}
