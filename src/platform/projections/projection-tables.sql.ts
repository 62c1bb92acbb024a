import { SqlQueryable } from '../database/sql-client.port';
import { liveTables, Projection, rebuildTables, TableNames } from './projection.port';

/** The physical tables of projections: created, dropped, and renamed into place by a rebuild. */

/** Drops the tables (if any) and creates them afresh, secondary indexes too unless deferred. */
export async function recreateTables(
  q: SqlQueryable,
  projections: Projection[],
  t: TableNames,
  { indexes }: { indexes: boolean },
): Promise<void> {
  await dropTables(q, projections, t);
  for (const projection of projections) {
    await run(q, projection.createTables(t));
    if (indexes) await createIndexes(q, projection, t);
  }
}

export async function createIndexes(q: SqlQueryable, projection: Projection, t: TableNames): Promise<void> {
  await run(q, projection.createIndexes?.(t));
}

/**
 * One ANALYZE per table, all at once: through a pool each samples on its own connection, so a projection's
 * largest table, not the sum of its tables, sets how long this takes. All settle before a failure is thrown.
 */
export async function analyzeTables(q: SqlQueryable, projections: Projection[], t: TableNames): Promise<void> {
  const analyzed = await Promise.allSettled(quotedTables(projections, t).map((table) => q.query(`ANALYZE ${table}`)));
  for (const outcome of analyzed) if (outcome.status === 'rejected') throw outcome.reason;
}

export async function dropTables(q: SqlQueryable, projections: Projection[], t: TableNames): Promise<void> {
  const views = quotedViews(projections, t);
  if (views) await q.query(`DROP VIEW IF EXISTS ${views}`);
  const tables = quotedTables(projections, t);
  if (tables.length > 0) await q.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`);
}

/** The projections' physical tables, quoted for SQL. */
function quotedTables(projections: Projection[], t: TableNames): string[] {
  return projections.flatMap(({ tables }) => tables.map((base) => quoteIdent(t(base))));
}

function quotedViews(projections: Projection[], t: TableNames): string {
  return projections.flatMap(({ views = [] }) => views.map((base) => quoteIdent(t(base)))).join(', ');
}

/** Replaces the live tables by the rebuilt ones, indexes and sequences renamed to their live names. */
export async function swapInRebuiltTables(tx: SqlQueryable, projections: Projection[]): Promise<void> {
  await dropTables(tx, projections, liveTables);
  const bases = projections.flatMap(({ tables }) => tables);
  for (const base of bases) {
    await tx.query(`ALTER TABLE ${quoteIdent(rebuildTables(base))} RENAME TO ${quoteIdent(base)}`);
  }
  // A view follows its tables through renames: only its own name changes.
  for (const base of projections.flatMap(({ views = [] }) => views)) {
    await tx.query(`ALTER VIEW ${quoteIdent(rebuildTables(base))} RENAME TO ${quoteIdent(base)}`);
  }
  const { rows } = await tx.query<{ relname: string; relkind: string; base: string; prefix: string }>(
    `SELECT c.relname, c.relkind, p.base, p.prefix
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN unnest($1::text[], $2::text[]) AS p(base, prefix) ON starts_with(c.relname, p.prefix)
      WHERE c.relkind IN ('i', 'S')`,
    [bases, bases.map(rebuildTables)],
  );
  for (const { relname, relkind, base, prefix } of rows) {
    const kind = relkind === 'S' ? 'SEQUENCE' : 'INDEX';
    await tx.query(`ALTER ${kind} ${quoteIdent(relname)} RENAME TO ${quoteIdent(base + relname.slice(prefix.length))}`);
  }
}

export async function hasAllTables(q: SqlQueryable, projection: Projection): Promise<boolean> {
  const { rows } = await q.query<{ complete: boolean }>(
    'SELECT bool_and(to_regclass(quote_ident(name)) IS NOT NULL) AS complete FROM unnest($1::text[]) AS t(name)',
    [[...projection.tables, ...(projection.views ?? [])]],
  );
  return rows[0].complete !== false;
}

/** A query without parameters may hold several statements (simple protocol, in both SQL clients). */
async function run(q: SqlQueryable, script: string | undefined): Promise<void> {
  if (script?.trim()) await q.query(script);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
