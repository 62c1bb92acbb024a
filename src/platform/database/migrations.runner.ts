import type { SqlClient } from './sql-client.port';

/** One versioned schema change. Ids sort in application order (e.g. `0001-events`); never edit a shipped one. */
export interface Migration {
  id: string;
  sql: string;
}

// Any constant shared by every process of the service: serialises concurrent start-ups.
const MIGRATION_LOCK = 7_340_120_001;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in id order, each in its own
 * transaction together with its record. Safe to run twice and from several processes at once.
 */
export async function runMigrations(sql: SqlClient, migrations: readonly Migration[]): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const ordered = [...migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const migration of ordered) {
    await sql.transaction(async (tx) => {
      // Transaction-scoped: released at commit/rollback, so a crashed process never keeps it.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const applied = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [migration.id]);
      if (applied.rowCount > 0) return;
      await tx.query(migration.sql); // no parameters: may hold several statements
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
    });
  }
}
