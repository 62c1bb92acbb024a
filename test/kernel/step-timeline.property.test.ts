import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyChanges, emptyTimeline, linearBound, metricSet, pointAt, scan, StepChange, StepPoint, StepTimeline, sweep,
} from '../../src/kernel/step-timeline.util';

/**
 * The blocked timeline (pending adds per block, per-block maxima of the bounds' margins) against a
 * naive model, a plain list of the changes summed at each instant, on random timelines long enough
 * to be split into many blocks and regrouped: values at every instant, the instants `sweep` visits,
 * and the first instant where `scan` finds a bound exceeded. The seed changes from run to run and is
 * printed; PROPERTY_SEED=<seed> replays a run.
 */

const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

const KEYS = ['used', 'total', 'limit', 'guard'] as const;
type Key = (typeof KEYS)[number];
/** used − total, and used − limit while guard > 0. */
const METRICS = metricSet(KEYS, [linearBound(KEYS, { used: 1, total: -1 }), linearBound(KEYS, { used: 1, limit: -1 }, 'guard')]);
/** What the checks below call exceeded (the domain's rules use the same tolerance). */
const EPSILON = 1e-6;

const instant = fc.integer({ min: 0, max: 1_000 });
const delta: fc.Arbitrary<Partial<Record<Key, number>>> = fc.oneof(
  // Demand changes (the common case: devices, reservations) shift every margin alike.
  { weight: 6, arbitrary: fc.record({ used: fc.constantFrom(-3, -1, 0.5, 1, 2, 3) }) },
  { weight: 2, arbitrary: fc.record({ total: fc.constantFrom(-4, 4, 8) }) },
  // A guard change moves a margin differently at each point.
  { weight: 1, arbitrary: fc.record({ limit: fc.constantFrom(2, 6), guard: fc.constantFrom(-1, 1) }) },
);
const change: fc.Arbitrary<StepChange<Key>> = fc
  .tuple(instant, fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }), delta)
  .map(([from, length, d]) => ({ from, until: length === null ? Infinity : from + length, delta: d }));

function naiveAt(changes: readonly StepChange<Key>[], at: number): StepPoint {
  const point: StepPoint = [at, 0, 0, 0, 0];
  for (const c of changes) {
    if (c.from <= at && at < c.until) for (const key in c.delta) point[METRICS.position[key as Key]] += c.delta[key as Key] as number;
  }
  return point;
}

/** The instants where a step can be: every change's bounds. */
function instantsOf(changes: readonly StepChange<Key>[]): number[] {
  return [...new Set(changes.flatMap((c) => [c.from, c.until]).filter(Number.isFinite))].sort((a, b) => a - b);
}

function exceeded(point: StepPoint): boolean {
  const [, used, total, limit, guard] = point;
  return used - total > EPSILON || (guard > 0 && used - limit > EPSILON);
}

/** Same values (a point's instant is where its step starts, not the instant asked for). */
function close(actual: StepPoint, expected: StepPoint, what: string): void {
  for (let m = 1; m < expected.length; m++) assert.ok(Math.abs(actual[m] - expected[m]) < 1e-9, `${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
}

/**
 * An open-ended change of `used` from `from` that leaves the highest margin after it at exactly 0.5: the
 * instants where it peaks must be found, wherever they are in the blocks.
 */
function tightProbe(history: readonly StepChange<Key>[], from: number): StepChange<Key>[] {
  const margin = (p: StepPoint) => Math.max(p[1] - p[2], p[4] > 0 ? p[1] - p[3] : -Infinity);
  const peak = Math.max(margin(naiveAt(history, from)), ...instantsOf(history).filter((at) => at > from).map((at) => margin(naiveAt(history, at))));
  return [{ from, until: Infinity, delta: { used: 0.5 - peak } }];
}

/** Room to start with, so that most instants are clear of the bounds and whole blocks can be skipped. */
const ROOM: StepChange<Key> = { from: 0, until: Infinity, delta: { total: 30 } };

function check(history: StepChange<Key>[], probe: StepChange<Key>[]): void {
  const timeline: StepTimeline = emptyTimeline();
  for (const c of history) applyChanges(timeline, METRICS, [c]);
  const instants = timeline.blocks.flatMap((block) => block.at);
  assert.equal(instants.length, timeline.size);
  // Each block's tops bound its points' margins (scan skips a block by them), whether recounted or only raised.
  for (const block of timeline.blocks) {
    for (const at of block.at) {
      const point = pointAt(timeline, METRICS, at);
      METRICS.bounds.forEach((bound, k) => assert.ok(bound.margin(point) <= block.tops[k] + 1e-9, `top ${k} of the block at ${block.at[0]} below the margin at ${at}`));
    }
  }
  // Values at every instant (and between instants) equal the sums of the changes in force.
  for (const at of instantsOf(history)) {
    close(pointAt(timeline, METRICS, at), naiveAt(history, at), `at ${at}`);
    close(pointAt(timeline, METRICS, at + 0.5), naiveAt(history, at + 0.5), `at ${at + 0.5}`);
  }
  // sweep visits every point inside the probe's span and its bounds, in order, with the right values.
  const live = probe.filter((c) => c.from < c.until);
  const start = Math.min(...live.map((c) => c.from));
  const end = Math.max(...live.map((c) => c.until));
  const expected = [...new Set([...instants, ...instantsOf(live)])].filter((at) => at >= start && at < end).sort((a, b) => a - b);
  const visited: number[] = [];
  sweep(timeline, METRICS, probe, (at, before, after) => {
    close(before, naiveAt(history, at), `before at ${at}`);
    close(after, naiveAt([...history, ...live], at), `after at ${at}`);
    visited.push(at);
    return undefined;
  });
  assert.deepEqual(visited, live.length === 0 ? [] : expected);
  // scan finds the first instant where a bound is exceeded once the probe is added, as a check of every instant does.
  const firstNaive = live.length === 0 ? undefined : expected.find((at) => exceeded(naiveAt([...history, ...live], at)));
  const firstScan = scan(timeline, METRICS, probe, (at, _before, after) => (exceeded(after) ? at : undefined));
  assert.equal(firstScan, firstNaive);
}

describe('blocked step timeline against a naive model', () => {
  it('keeps exact values, sweeps every step and finds the first exceeded bound, over many blocks', () => {
    assert.ok(Number.isSafeInteger(SEED), `PROPERTY_SEED must be an integer, not ${process.env.PROPERTY_SEED}`);
    console.log(`step-timeline property seed: ${SEED} (PROPERTY_SEED=${SEED} reproduces this run)`);
    let blocks = 0;
    let found = 0;
    let pruned = 0;
    fc.assert(
      fc.property(fc.array(change, { minLength: 50, maxLength: 400 }), fc.array(change, { minLength: 1, maxLength: 3 }), instant, (changes, probe, from) => {
        const history = [ROOM, ...changes];
        check(history, probe);
        check(history, tightProbe(history, from));
        const timeline = emptyTimeline();
        applyChanges(timeline, METRICS, history);
        blocks = Math.max(blocks, timeline.blocks.length);
        let scanned = 0;
        let swept = 0;
        if (scan(timeline, METRICS, probe, (at, _before, after) => (++scanned, exceeded(after) ? at : undefined)) !== undefined) found++;
        sweep(timeline, METRICS, probe, (at, _before, after) => (++swept, exceeded(after) ? at : undefined));
        if (scanned < swept) pruned++;
      }),
      { numRuns: 150, seed: SEED },
    );
    // The runs exercise many blocks, skipped blocks and both answers of scan.
    assert.ok(blocks >= 8, `at most ${blocks} blocks (seed ${SEED})`);
    assert.ok(pruned >= 20, `scan skipped blocks in only ${pruned} of 150 runs (seed ${SEED})`);
    assert.ok(found >= 20 && found <= 130, `scan found an exceeded bound in ${found} of 150 runs (seed ${SEED})`);
  });
});
