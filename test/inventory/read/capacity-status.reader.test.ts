import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resourceStatuses, ResourceStatuses } from '../../../src/inventory/domain/capacity-change.rules';
import { readStatusTimelines, StatusTimeline } from '../../../src/inventory/read/capacity-status.reader';
import { newPopSteps, POP_STEP_TABLE, totalsOfStep } from '../../../src/inventory/read/capacity-steps.table';
import { liveTables } from '../../../src/platform/projections/projection.port';
import { testDatabases, type TestDatabase } from '../../support/test-databases';
import { seededRandom } from '../../support/seeded-random';
import { statementSpy } from '../../support/statement-spy';

const THRESHOLDS = { warnPercent: 70, criticalPercent: 90 };
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const POINTS = 1_500;

const label = (statuses: ResourceStatuses) => Object.values(statuses).map(({ status }) => status).join();
const iso = (hour: number) => new Date(T0 + hour * HOUR).toISOString();

/** The status changes a timeline says there are from `since` on, each with the utilizations there. */
function changesOf(before: ResourceStatuses | null, points: ReadonlyArray<{ at: string; statuses: ResourceStatuses }>): Array<[string, ResourceStatuses]> {
  const changes: Array<[string, ResourceStatuses]> = [];
  let current = label(before ?? resourceStatuses(totalsOfStep(null), THRESHOLDS));
  for (const { at, statuses } of points) {
    if (label(statuses) !== current) changes.push([at, statuses]);
    current = label(statuses);
  }
  return changes;
}

/** The utilizations in force at `at` by a timeline: its last point at or before it, or what was in force before. */
function inForce(timeline: StatusTimeline, at: string): ResourceStatuses | null {
  return timeline.points.findLast((point) => point.at <= at)?.statuses ?? timeline.before;
}

for (const database of testDatabases()) {
  describe(`capacity status timelines over step blocks (${database.name})`, () => {
    let db: TestDatabase;
    /** Every point of the PoP, read whole from the view: the naive answer. */
    let naive: Array<{ at: string; statuses: ResourceStatuses }>;
    before(async () => {
      db = await database.create();
      // A step table takes the deltas of one write.
      let steps = newPopSteps();
      await db.sql.query(steps.createTable(liveTables));
      // 42 U, then hourly device churn: long stretches of OK, WARNING and CRITICAL (each several blocks long) and a few
      // short excursions, written in batches that reach back (back-dated deltas, splits), and reserved space at random.
      const next = seededRandom(7);
      steps.add(['p1'], iso(0), { total_u: 42 });
      let used = 0;
      for (let hour = 1; hour <= POINTS; hour++) {
        const target = hour < 300 ? 10 : hour < 700 ? 32 : hour < 1000 ? 40 : hour % 200 < 180 ? 10 : 32;
        const step = used < target ? 1 : used > target ? -1 : next() < 0.5 ? 1 : -1;
        used += step;
        steps.add(['p1'], iso(hour), { used_u: step, reserved_u: next() < 0.1 ? (next() < 0.5 ? 0.25 : -0.25) : 0 });
        if (hour % 100 === 0) {
          steps.add(['p1'], iso(Math.floor(next() * hour)), { reserved_u: hour % 200 === 0 ? 0.5 : -0.5 });
          await steps.write(db.sql, liveTables);
          steps = newPopSteps();
        }
      }
      await steps.write(db.sql, liveTables);
      const { rows } = await db.sql.query<Record<string, unknown> & { at: Date }>(`SELECT * FROM ${POP_STEP_TABLE} WHERE pop_id = 'p1' ORDER BY at`);
      naive = rows.map((row) => ({ at: row.at.toISOString(), statuses: resourceStatuses(totalsOfStep(row), THRESHOLDS) }));
    });
    after(() => db?.dispose());

    it('finds every status change a full read finds, with the same utilizations, while reading a fraction of the points', async () => {
      const next = seededRandom(11);
      const cases = [null, ...Array.from({ length: 12 }, () => iso(Math.floor(next() * POINTS)))];
      for (const since of cases) {
        const timeline = (await readStatusTimelines(db.sql, [{ popId: 'p1', since }], THRESHOLDS)).get('p1') as StatusTimeline;
        const earlier = since === null ? null : (naive.findLast((point) => point.at < since)?.statuses ?? null);
        const later = naive.filter((point) => since === null || point.at >= since);
        assert.deepEqual(timeline.before, earlier, `before ${since}`);
        assert.deepEqual(changesOf(timeline.before, timeline.points), changesOf(earlier, later), `changes from ${since}`);
        const byAt = new Map(naive.map((point) => [point.at, point.statuses]));
        for (const point of timeline.points) assert.deepEqual(point.statuses, byAt.get(point.at), `point at ${point.at}`);
        assert.ok(timeline.points.length < later.length / 2, `${timeline.points.length} of ${later.length} points read from ${since}`);
      }
    });

    it('finds a change at the first point of a block whose statuses are steady', async () => {
      // 600 hours of churn between 10 and 11 U of 42, then 20 U more from the start of a later block on: OK, then WARNING.
      let steps = newPopSteps();
      steps.add(['p2'], iso(0), { total_u: 42, used_u: 10 });
      for (let hour = 1; hour <= 600; hour++) {
        steps.add(['p2'], iso(hour), { used_u: hour % 2 === 1 ? 1 : -1 });
        if (hour % 100 === 0) {
          await steps.write(db.sql, liveTables);
          steps = newPopSteps();
        }
      }
      const { rows } = await db.sql.query<{ block: Date }>(`SELECT block FROM ${POP_STEP_TABLE}_blocks WHERE pop_id = 'p2' ORDER BY block`);
      assert.ok(rows.length >= 4, `${rows.length} blocks`);
      const boundary = rows[2].block.toISOString();
      steps.add(['p2'], boundary, { used_u: 20 });
      await steps.write(db.sql, liveTables);
      const timeline = (await readStatusTimelines(db.sql, [{ popId: 'p2', since: null }], THRESHOLDS)).get('p2') as StatusTimeline;
      assert.deepEqual(
        changesOf(timeline.before, timeline.points).map(([at, statuses]) => [at, label(statuses)]),
        [[boundary, 'WARNING,OK,OK']],
      );
    });

    it('reads one point from an instant after which the statuses are steady, however its block began', async () => {
      // CRITICAL, then 600 hours of churn between 10 and 11 U of 42 (OK): the first block holds both.
      let steps = newPopSteps();
      steps.add(['p3'], iso(0), { total_u: 42, used_u: 40 });
      steps.add(['p3'], iso(1), { used_u: -30 });
      for (let hour = 2; hour <= 600; hour++) {
        steps.add(['p3'], iso(hour), { used_u: hour % 2 === 0 ? 1 : -1 });
        if (hour % 100 === 0) {
          await steps.write(db.sql, liveTables);
          steps = newPopSteps();
        }
      }
      await steps.write(db.sql, liveTables);
      const since = iso(50);
      let statements = 0;
      const counted = statementSpy(db.sql, () => statements++);
      const timeline = (await readStatusTimelines(counted, [{ popId: 'p3', since }], THRESHOLDS)).get('p3') as StatusTimeline;
      assert.deepEqual(timeline.before && label(timeline.before), 'OK,OK,OK');
      assert.deepEqual(
        timeline.points.map(({ at, statuses }) => [at, label(statuses)]),
        [[since, 'OK,OK,OK']],
      );
      assert.equal(statements, 1, 'the bounds and the two points in one statement');
      // Read together with a PoP whose statuses change: each answer as when read alone.
      const alone = (await readStatusTimelines(db.sql, [{ popId: 'p1', since: iso(100) }], THRESHOLDS)).get('p1');
      const both = await readStatusTimelines(db.sql, [{ popId: 'p1', since: iso(100) }, { popId: 'p3', since }], THRESHOLDS);
      assert.deepEqual([both.get('p1'), both.get('p3')], [alone, timeline]);
    });

    it('reads the utilizations in force at pinned instants', async () => {
      const next = seededRandom(5);
      const since = iso(100);
      const pinned = Array.from({ length: 8 }, () => new Date(T0 + (100 + next() * (POINTS - 100)) * HOUR).toISOString());
      const timeline = (await readStatusTimelines(db.sql, [{ popId: 'p1', since, pinned }], THRESHOLDS)).get('p1') as StatusTimeline;
      for (const at of pinned) assert.deepEqual(inForce(timeline, at), naive.findLast((point) => point.at <= at)?.statuses, `in force at ${at}`);
    });
  });
}
