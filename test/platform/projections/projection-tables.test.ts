import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import { analyzeTables, recreateTables } from '../../../src/platform/projections/projection-tables.sql';
import { Projection, rebuildTables } from '../../../src/platform/projections/projection.port';
import { testDatabases } from '../../support/test-databases';

/** A projection of `tables` tables of one integer column; it handles no event. */
function projection(name: string, tables: number): Projection {
  const names = Array.from({ length: tables }, (_, i) => `${name}_${i}`);
  return {
    name,
    eventTypes: [],
    tables: names,
    createTables: (t) => names.map((table) => `CREATE TABLE ${t(table)} (n int NOT NULL)`).join(';\n'),
    handle: async () => undefined,
  };
}

for (const database of testDatabases()) {
  describe(`projection tables on ${database.name}`, () => {
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ sql, dispose } = await database.create());
    });
    after(() => dispose());

    test('analyzeTables gives every table of every projection its statistics', async () => {
      const projections = [projection('first', 3), projection('second', 2)];
      await recreateTables(sql, projections, rebuildTables, { indexes: false });
      const tables = projections.flatMap(({ tables }) => tables.map(rebuildTables));
      for (const table of tables) await sql.query(`INSERT INTO ${table} SELECT generate_series(1, 100)`);
      const analyzed = async () => {
        const { rows } = await sql.query<{ tablename: string }>(
          `SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) ORDER BY tablename`,
          [tables],
        );
        return rows.map(({ tablename }) => tablename);
      };
      assert.deepEqual(await analyzed(), []);
      await analyzeTables(sql, projections, rebuildTables);
      assert.deepEqual(await analyzed(), [...tables].sort());
    });
  });
}
