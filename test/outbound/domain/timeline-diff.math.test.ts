import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { announcements, compress, Timeline } from '../../../src/outbound/domain/timeline-diff.math';

/** Statuses as plain strings: a change `{ at, value }` holds from `at` until the next one. */
const same = (a: string, b: string) => a === b;
const T = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
const line = (before: string, ...changes: Array<[number, string]>): Timeline<string> => ({ before, changes: changes.map(([day, value]) => ({ at: T(day), value })) });
const said = (...items: Array<[number, string, string]>) => items.map(([day, from, to]) => ({ at: T(day), from, to }));

describe('announcing timeline changes (outbound status changes over effective time)', () => {
  it('announces a new transition at the instant it takes effect', () => {
    assert.deepEqual(announcements(line('OK'), line('OK', [5, 'WARNING']), same), said([5, 'OK', 'WARNING']));
  });

  it('announces nothing when the facts did not change the timeline (a repeat, or a point with the same value)', () => {
    assert.deepEqual(announcements(line('OK', [5, 'WARNING']), line('OK', [5, 'WARNING']), same), []);
    assert.deepEqual(announcements(line('OK', [5, 'WARNING']), line('OK', [5, 'WARNING'], [7, 'WARNING'], [9, 'WARNING']), same), []);
  });

  it('a back-dated fact moves a transition earlier: announced at the earlier instant, once', () => {
    assert.deepEqual(announcements(line('OK', [10, 'WARNING']), line('OK', [3, 'WARNING'], [10, 'WARNING']), same), said([3, 'OK', 'WARNING']));
  });

  it('a back-dated fact that adds a level announces each new transition', () => {
    assert.deepEqual(
      announcements(line('OK', [10, 'WARNING']), line('OK', [3, 'WARNING'], [10, 'CRITICAL']), same),
      said([3, 'OK', 'WARNING'], [10, 'WARNING', 'CRITICAL']),
    );
  });

  it('a future-dated fact announces the change at its future instant', () => {
    assert.deepEqual(announcements(line('WARNING'), line('WARNING', [20, 'OK']), same), said([20, 'WARNING', 'OK']));
  });

  it('a planned change taken back (a future reservation released) is corrected at its instant', () => {
    assert.deepEqual(announcements(line('OK', [20, 'CRITICAL']), line('OK', [20, 'OK']), same), said([20, 'CRITICAL', 'OK']));
  });

  it('a stretch that shrinks from both sides announces its new ends only', () => {
    // Before: WARNING on [10, 20); now WARNING on [12, 18).
    assert.deepEqual(
      announcements(line('OK', [10, 'WARNING'], [20, 'OK']), line('OK', [10, 'OK'], [12, 'WARNING'], [18, 'OK'], [20, 'OK']), same),
      said([10, 'WARNING', 'OK'], [12, 'OK', 'WARNING'], [18, 'WARNING', 'OK']),
    );
  });

  it('does not repeat a correction at later points of the same stretch', () => {
    assert.deepEqual(announcements(line('OK'), line('OK', [3, 'WARNING'], [4, 'WARNING'], [8, 'WARNING']), same), said([3, 'OK', 'WARNING']));
  });

  it('compress keeps the changes that change the value', () => {
    assert.deepEqual(compress(line('OK', [1, 'OK'], [2, 'WARNING'], [3, 'WARNING'], [4, 'OK']), same), line('OK', [2, 'WARNING'], [4, 'OK']).changes);
  });

  it('applying the announcements to what was announced gives the new timeline (random timelines)', () => {
    const levels = ['OK', 'WARNING', 'CRITICAL'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const randomLine = () => line('OK', ...Array.from({ length: random(6) }, () => [1 + random(28), levels[random(3)]] as [number, string]).sort((a, b) => a[0] - b[0]).filter((c, i, all) => i === 0 || all[i - 1][0] !== c[0]));
    const valueAt = (timeline: Timeline<string>, at: string) => timeline.changes.filter((c) => c.at <= at).reduce((_, c) => c.value, timeline.before);
    for (let round = 0; round < 500; round++) {
      const previous = { before: 'OK', changes: compress(randomLine(), same) };
      const next = randomLine();
      // What a consumer believes: the announced timeline, overridden from each announcement's instant on until a later announced change.
      const believed = new Map(previous.changes.map((c) => [c.at, c.value]));
      for (const a of announcements(previous, next, same)) believed.set(a.at, a.to);
      const consumer: Timeline<string> = { before: 'OK', changes: [...believed].sort(([a], [b]) => (a < b ? -1 : 1)).map(([at, value]) => ({ at, value })) };
      for (let day = 1; day <= 29; day++) assert.equal(valueAt(consumer, T(day)), valueAt(next, T(day)), `round ${round}, day ${day}`);
      for (const a of announcements(previous, next, same)) assert.notEqual(a.from, a.to);
    }
  });
});
