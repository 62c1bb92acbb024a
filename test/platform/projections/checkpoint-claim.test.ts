import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SqlQueryable } from '../../../src/platform/database/sql-client.port';
import { CheckpointMovedError, ProjectionCheckpoints, projectionMigrations } from '../../../src/platform/projections/projection-checkpoints.sql';
import { testDatabases } from '../../support/test-databases';
import { statementSpy } from '../../support/statement-spy';

const A = '00000000000000000010:00000000000000000001';
const B = '00000000000000000010:00000000000000000002';
const NEXT = '00000000000000000011:00000000000000000003';

for (const database of testDatabases()) {
  describe(`checkpoint claim and move of a projection batch (${database.name})`, () => {
    async function withCheckpoints(run: (sql: Awaited<ReturnType<typeof database.create>>['sql'], checkpoints: ProjectionCheckpoints) => Promise<void>): Promise<void> {
      const { sql, dispose } = await database.create();
      try {
        for (const migration of projectionMigrations) await sql.exec(migration.sql);
        await sql.query(`INSERT INTO projection_checkpoints (name, position, store) VALUES ('a', $1, 'postgres'), ('b', $2, 'postgres'), ('c', NULL, NULL)`, [A, B]);
        await run(sql, new ProjectionCheckpoints('checkpoints_test', 'postgres'));
      } finally {
        await dispose();
      }
    }

    const positions = async (sql: SqlQueryable) =>
      (await sql.query<{ name: string; position: string | null; status: string }>('SELECT name, position, status FROM projection_checkpoints ORDER BY name')).rows.map((row) => [row.name, row.position, row.status]);

    test('claims and moves every checkpoint of the batch in one statement', () =>
      withCheckpoints(async (sql, checkpoints) => {
        const statements: string[] = [];
        await sql.transaction(async (tx) => {
          const counted = statementSpy(tx, (text) => statements.push(text));
          await checkpoints.claimAndAdvance(counted, new Map([['b', B], ['a', A], ['c', null]]), NEXT);
        });
        assert.equal(statements.length, 1);
        assert.deepEqual(await positions(sql), [['a', NEXT, 'RUNNING'], ['b', NEXT, 'RUNNING'], ['c', NEXT, 'RUNNING']]);
      }));

    test("the batch's later statements run on generic plans, and only within its transaction", () =>
      withCheckpoints(async (sql, checkpoints) => {
        const planMode = async (q: SqlQueryable) => (await q.query<{ mode: string }>(`SELECT current_setting('plan_cache_mode') AS mode`)).rows[0].mode;
        const during = await sql.transaction(async (tx) => {
          await checkpoints.claimAndAdvance(tx, new Map([['a', A]]), NEXT);
          return planMode(tx);
        });
        assert.equal(during, 'force_generic_plan');
        assert.equal(await planMode(sql), 'auto');
      }));

    test('a checkpoint moved or stopped by another writer: CheckpointMovedError names it, and no checkpoint moves', () =>
      withCheckpoints(async (sql, checkpoints) => {
        const attempt = (expected: Array<[string, string | null]>) => sql.transaction((tx) => checkpoints.claimAndAdvance(tx, new Map(expected), NEXT));
        await assert.rejects(attempt([['a', A], ['b', A]]), (error) => error instanceof CheckpointMovedError && error.projection === 'b');
        await assert.rejects(attempt([['a', A], ['missing', null]]), (error) => error instanceof CheckpointMovedError && error.projection === 'missing');
        await sql.query(`UPDATE projection_checkpoints SET status = 'FAILED' WHERE name = 'a'`);
        await assert.rejects(attempt([['a', A], ['b', B]]), (error) => error instanceof CheckpointMovedError && error.projection === 'a');
        assert.deepEqual(await positions(sql), [['a', A, 'FAILED'], ['b', B, 'RUNNING'], ['c', null, 'RUNNING']]);
      }));
  });
}
