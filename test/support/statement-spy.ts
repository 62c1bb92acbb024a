import type { SqlQueryable } from '../../src/platform/database/sql-client.port';

/**
 * `q` with every statement text sent through `query` handed to `seen` first: for tests that count the
 * round trips of a piece of the write path. Bulk inserts (`insertColumns`) go to `q` unseen.
 */
export function statementSpy(q: SqlQueryable, seen: (text: string) => void): SqlQueryable {
  return {
    query: (text, params) => {
      seen(text);
      return q.query(text, params);
    },
    insertColumns: (table, columns, values) => q.insertColumns(table, columns, values),
  };
}
