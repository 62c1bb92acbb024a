import { AppConfig } from '../config/app.config';
import { createSqlClient } from './sql-client.factory';
import { Migration, runMigrations } from './migrations.runner';
import { SqlClient } from './sql-client.port';

/** The configured read store (PGlite under DATA_DIR, or DATABASE_URL), migrated to the current schema. */
export async function openSqlClient(config: AppConfig, migrations: readonly Migration[]): Promise<SqlClient> {
  const inMemory = config.DATA_DIR.startsWith('memory://');
  const sql = await createSqlClient({
    databaseUrl: config.DATABASE_URL,
    dataDir: inMemory ? undefined : config.DATA_DIR,
    initialData: inMemory ? config.pgliteInitialData : undefined,
    schema: config.databaseSchema,
  });
  await runMigrations(sql, migrations);
  return sql;
}
