import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SqlQueryable } from '../../../src/platform/database/sql-client.port';
import { liveTables } from '../../../src/platform/projections/projection.port';
import { ChangedPoint, StepTable } from '../../../src/platform/projections/step.table';
import { testDatabases, type TestDatabase } from '../../support/test-databases';
import { seededRandom } from '../../support/seeded-random';
import { statementSpy } from '../../support/statement-spy';

const METRICS = { units: 'int', kw: 'float8' } as const;
/** Small blocks, so that a few hundred points make many blocks and splits. */
const BLOCK_SIZE = 4;
const DAY = 86_400_000;

/** The same step functions kept naively: per key, the delta at each instant. */
class NaiveSteps {
  readonly deltas = new Map<string, Map<string, [number, number]>>();

  add(key: string, at: string, units: number, kw: number): void {
    const byAt = this.deltas.get(key) ?? new Map<string, [number, number]>();
    const [u, k] = byAt.get(at) ?? [0, 0];
    byAt.set(at, [u + units, k + kw]);
    this.deltas.set(key, byAt);
  }

  /** Every point of a key: its instant and the values in force from it. */
  points(key: string): [string, number, number][] {
    let units = 0;
    let kw = 0;
    return [...(this.deltas.get(key) ?? new Map<string, [number, number]>())]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([at, [u, k]]) => [at, (units += u), (kw += k)]);
  }
}

/**
 * Each span `readSpans` gives from `since` on bounds exactly the naive values of the points in it, and the spans cover
 * every point from `since` on and no earlier one; merged, they are one span with the bounds of all those points.
 */
async function assertSpans(sql: SqlQueryable, table: StepTable<'units' | 'kw'>, naive: NaiveSteps, since: string | null): Promise<void> {
  const keys = ['a', 'b'];
  const requests = keys.map((key) => ({ keys: [key], since }));
  const spans = await table.readSpans(sql, liveTables, requests);
  const merged = await table.readSpans(sql, liveTables, requests, { merged: true });
  const boundsOf = (inside: [string, number, number][]) => [
    [Math.min(...inside.map(([, units]) => units)), Math.min(...inside.map(([, , kw]) => kw))],
    [Math.max(...inside.map(([, units]) => units)), Math.max(...inside.map(([, , kw]) => kw))],
  ];
  keys.forEach((key, k) => {
    const points = naive.points(key).filter(([at]) => since === null || at >= since);
    const within = (from: string, until: string | null) => points.filter(([at]) => (from === '-infinity' || at >= from) && (until === null || at < until));
    const actual = spans[k].map(({ from, min, max }) => [from, [...min], [...max]]);
    const expected = spans[k].map(({ from, until }) => [from, ...boundsOf(within(from, until))]);
    assert.deepEqual(actual, expected, `block bounds of key ${key} from ${since}`);
    assert.equal(spans[k].reduce((sum, { from, until }) => sum + within(from, until).length, 0), points.length, `the spans cover every point from ${since}`);
    if (since !== null && spans[k].length > 0) assert.ok(spans[k][0].from >= since, `the first span starts at ${since} or later, not ${spans[k][0].from}`);
    assert.deepEqual(
      merged[k].map(({ from, min, max }) => [from, [...min], [...max]]),
      points.length === 0 ? [] : [[spans[k][0].from, ...boundsOf(points)]],
      `merged bounds of key ${key} from ${since}`,
    );
  });
}

for (const database of testDatabases()) {
  describe(`step table in blocks (${database.name})`, () => {
    let db: TestDatabase;
    const steps = () => new StepTable('t_step', ['key'], METRICS, BLOCK_SIZE);
    before(async () => {
      db = await database.create();
      await db.sql.query(steps().createTable(liveTables));
    });
    after(() => db?.dispose());

    it('keeps every point, and each block\'s bounds, equal to a naive step function under random back-dated deltas across block splits', async () => {
      const next = seededRandom(13);
      const naive = new NaiveSteps();
      for (let batch = 0; batch < 60; batch++) {
        const table = steps();
        for (let n = 0; n < 1 + Math.floor(next() * 8); n++) {
          const key = next() < 0.7 ? 'a' : 'b';
          // 200 instants: many land on existing points, most batches reach back before later ones.
          const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 200) * DAY).toISOString();
          const units = Math.floor(next() * 7) - 3;
          const kw = Math.round(next() * 40 - 20) / 4;
          table.add([key], at, { units, kw });
          naive.add(key, at, units, kw);
        }
        await table.write(db.sql, liveTables);
        await assertSpans(db.sql, table, naive, null);
        // From an instant within the history: often inside a block, sometimes on a point or past the last one.
        await assertSpans(db.sql, table, naive, new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 210) * DAY + (next() < 0.5 ? 0 : DAY / 2)).toISOString());
      }
      for (const key of ['a', 'b']) {
        const { rows } = await db.sql.query<{ at: Date; units: number; kw: number }>('SELECT at, units, kw FROM t_step WHERE key = $1 ORDER BY at', [key]);
        assert.deepEqual(
          rows.map((row) => [row.at.toISOString(), row.units, row.kw]),
          naive.points(key),
        );
      }
      const { rows: blocks } = await db.sql.query<{ key: string; blocks: string; largest: number }>(
        'SELECT key, count(*) AS blocks, max(points) AS largest FROM t_step_blocks GROUP BY key ORDER BY key',
      );
      assert.ok(Number(blocks[0].blocks) > 10, `key a has many blocks (${blocks[0].blocks})`);
      assert.ok(blocks.every((block) => block.largest <= 2 * BLOCK_SIZE), 'no block holds more than twice the block size');
      const { rows: counts } = await db.sql.query<{ stale: number }>(
        'SELECT count(*)::int AS stale FROM t_step_blocks b WHERE points <> (SELECT count(*) FROM t_step_points p WHERE p.key = b.key AND p.block = b.block)',
      );
      assert.equal(counts[0].stale, 0, 'each block counts its points');
    });

    it('reads a few deltas\' blocks and the stored points they fall among in one statement', async () => {
      // Key a has many blocks by now: deltas in two of them, one before a stored point and one on it.
      const { rows } = await db.sql.query<{ at: Date; units: number }>("SELECT at, units FROM t_step WHERE key = 'a' ORDER BY at");
      const early = new Date(rows[1].at.getTime() - DAY / 2).toISOString();
      const late = rows[rows.length - 2].at.toISOString();
      const table = steps();
      table.add(['a'], early, { units: 1 });
      table.add(['a'], late, { units: 1 });
      const reads: string[] = [];
      await db.sql.transaction((tx) =>
        table.write(statementSpy(tx, (text) => /^\s*(SELECT|WITH d AS)/.test(text) && reads.push(text)), liveTables),
      );
      assert.equal(reads.length, 1, reads.map((text) => text.slice(0, 60)).join(" / "));
      const { rows: now } = await db.sql.query<{ at: Date; units: number }>("SELECT at, units FROM t_step WHERE key = 'a' ORDER BY at");
      const expected = [...rows.slice(0, 1), { at: new Date(early), units: rows[0].units + 1 }, ...rows.slice(1)].map((row) => [
        row.at.toISOString(),
        row.at.toISOString() >= late ? row.units + 2 : row.at.toISOString() >= early && row.at.toISOString() !== early ? row.units + 1 : row.units,
      ]);
      assert.deepEqual(now.map((row) => [row.at.toISOString(), row.units]), expected);
    });

    it('cuts a new key\'s blocks before its points are inserted: the same blocks as a split, without reading or moving a point', async () => {
      // Given 11 deltas of a key that has no points yet (a rebuild's new key), in one write.
      const table = steps();
      const naive = new NaiveSteps();
      for (let day = 0; day < 11; day++) {
        const at = new Date(Date.UTC(2026, 0, 1) + day * DAY).toISOString();
        table.add(['new'], at, { units: day % 3, kw: 0.25 * day });
        naive.add('new', at, day % 3, 0.25 * day);
      }
      // When it is written.
      const statements: string[] = [];
      await db.sql.transaction((tx) => table.write(statementSpy(tx, (text) => statements.push(text)), liveTables));
      // Then the points table was read once (the blocks and points in force, as for any write) and never updated, the view
      // has the naive points, and the blocks are split's: the first 4 points in the first block, then blocks of 4 named
      // after their first points.
      assert.equal(statements.filter((text) => /t_step_points/.test(text) && !/^\s*INSERT/.test(text)).length, 1);
      assert.deepEqual(statements.filter((text) => /UPDATE t_step_points/.test(text)), []);
      const points = naive.points('new');
      const { rows } = await db.sql.query<{ at: Date; units: number; kw: number }>("SELECT at, units, kw FROM t_step WHERE key = 'new' ORDER BY at");
      assert.deepEqual(rows.map((row) => [row.at.toISOString(), row.units, row.kw]), points);
      const { rows: blocks } = await db.sql.query<{ block: Date | null; points: number; units_min: number; units_max: number; kw_min: number; kw_max: number; stored: number }>(
        `SELECT CASE WHEN isfinite(block) THEN block END AS block, points, units_min, units_max, kw_min, kw_max,
                (SELECT count(*)::int FROM t_step_points p WHERE p.key = b.key AND p.block = b.block) AS stored
           FROM t_step_blocks b WHERE key = 'new' ORDER BY b.block`,
      );
      const parts = [points.slice(0, 4), points.slice(4, 8), points.slice(8)];
      assert.deepEqual(
        blocks.map((block) => [block.block?.toISOString() ?? '-infinity', block.points, block.stored, block.units_min, block.units_max, block.kw_min, block.kw_max]),
        parts.map((part, p) => [
          p === 0 ? '-infinity' : part[0][0],
          part.length,
          part.length,
          Math.min(...part.map(([, units]) => units)),
          Math.max(...part.map(([, units]) => units)),
          Math.min(...part.map(([, , kw]) => kw)),
          Math.max(...part.map(([, , kw]) => kw)),
        ]),
      );
    });

    it('returns every point from the first delta on with the values before and after', async () => {
      const table = steps();
      const { rows } = await db.sql.query<{ at: Date; units: number; kw: number }>("SELECT at, units, kw FROM t_step WHERE key = 'a' ORDER BY at");
      const first = rows[3].at.toISOString();
      table.add(['a'], first, { units: 2, kw: 0.5 });
      const changed: ChangedPoint[] = await table.write(db.sql, liveTables, { changes: true });
      assert.deepEqual(
        changed.map(({ at, before, after }) => [at, [...before], [...after]]),
        rows.slice(3).map((row) => [row.at.toISOString(), [row.units, row.kw], [row.units + 2, row.kw + 0.5]]),
      );
    });

    it('gives the planner statistics of the keys, instants and blocks, and none of the values', async () => {
      await db.sql.query('ANALYZE t_step_points, t_step_blocks');
      const { rows } = await db.sql.query<{ tablename: string; columns: string[] }>(
        `SELECT tablename, array_agg(attname::text ORDER BY attname) AS columns FROM pg_stats
          WHERE schemaname = current_schema() AND tablename IN ('t_step_points', 't_step_blocks') GROUP BY tablename ORDER BY tablename`,
      );
      assert.deepEqual(rows, [
        { tablename: 't_step_blocks', columns: ['block', 'key'] },
        { tablename: 't_step_points', columns: ['at', 'block', 'key'] },
      ]);
    });
  });
}
