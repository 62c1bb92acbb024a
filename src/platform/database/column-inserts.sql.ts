import type { SqlColumnTypes, SqlQueryable } from './sql-client.port';

/**
 * `insertColumns` as one multi-row statement: `unnest` of one array parameter per column; `conflict` an
 * `ON CONFLICT ...` clause (which COPY has not).
 */
export async function insertByUnnest(
  q: Pick<SqlQueryable, 'query'>,
  table: string,
  columns: SqlColumnTypes,
  values: readonly unknown[][],
  conflict = '',
): Promise<void> {
  if (values[0].length === 0) return;
  const arrays = Object.values(columns).map((type, index) => `$${index + 1}::${type}[]`);
  await q.query(`INSERT INTO ${table} (${Object.keys(columns).join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ${conflict}`, [...values]);
}
