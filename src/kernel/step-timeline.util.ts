/**
 * A set of named step functions over business time: sorted points, each holding the values in
 * force from its instant until the next point. Reading the values at t is a binary search; a
 * change over [from, until) touches only the points inside that interval, so a command effective
 * near the end of a long timeline stays cheap.
 *
 * Points are plain number arrays, compact in memory and as JSON (snapshots). `applyChanges`
 * mutates; everything else is read-only.
 */

/** `[at, ...values in metric order]`; read a value with `point[metrics.position[key]]`. */
export type StepPoint = number[];

export type StepTimeline = StepPoint[];

/** The metrics of a timeline, in storage order. */
export interface MetricSet<K extends string> {
  keys: readonly K[];
  /** Position of each metric in a point (1-based; 0 is the instant). */
  position: Readonly<Record<K, number>>;
}

/** Add `delta` to the values on [from, until); `until` is Infinity for an open end. */
export interface StepChange<K extends string> {
  from: number;
  until: number;
  delta: Partial<Record<K, number>>;
}

/** Values this close to zero are drift from adding and subtracting the same floats. */
const DRIFT = 1e-9;

export function metricSet<K extends string>(keys: readonly K[]): MetricSet<K> {
  const position = {} as Record<K, number>;
  keys.forEach((key, index) => (position[key] = index + 1));
  return { keys, position };
}

/** Index of the last point at or before `at`, or -1. */
export function indexAtOrBefore(timeline: StepTimeline, at: number): number {
  let low = 0;
  let high = timeline.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (timeline[mid][0] <= at) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** The point in force at `at` (all zeros before the first); do not mutate it. */
export function pointAt<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, at: number): StepPoint {
  const index = indexAtOrBefore(timeline, at);
  return index < 0 ? zeroPoint(metrics, at) : timeline[index];
}

/**
 * Visits, in time order, every instant where the values could differ once `changes` are applied:
 * the existing points inside the changed span and the changes' own boundaries. `visit` gets the
 * point before and after the changes (arrays, so that a scan over a long timeline allocates
 * little; do not keep or mutate them) and returns a result to stop early.
 */
export function sweep<K extends string, R>(
  timeline: StepTimeline,
  metrics: MetricSet<K>,
  changes: readonly StepChange<K>[],
  visit: (at: number, before: StepPoint, after: StepPoint) => R | undefined,
): R | undefined {
  const live = changes.filter((change) => change.from < change.until);
  if (live.length === 0) return undefined;
  const start = Math.min(...live.map((change) => change.from));
  const end = Math.max(...live.map((change) => change.until));
  const bounds = [...new Set(live.flatMap((change) => [change.from, change.until]).filter(Number.isFinite))].sort((a, b) => a - b);
  let index = indexAtOrBefore(timeline, start - 1) + 1;
  let previous = index > 0 ? timeline[index - 1] : zeroPoint(metrics, start);
  let bound = 0;
  for (;;) {
    const nextPoint = index < timeline.length ? timeline[index][0] : Infinity;
    const nextBound = bound < bounds.length ? bounds[bound] : Infinity;
    const at = Math.min(nextPoint, nextBound);
    if (at >= end) return undefined;
    if (nextPoint === at) previous = timeline[index++];
    if (nextBound === at) bound++;
    const result = visit(at, previous, withChanges(previous, metrics, live, at));
    if (result !== undefined) return result;
  }
}

/** Applies `changes` in place. */
export function applyChanges<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, changes: readonly StepChange<K>[]): void {
  for (const change of changes) {
    if (change.from >= change.until) continue;
    const start = ensurePoint(timeline, metrics, change.from);
    if (Number.isFinite(change.until)) ensurePoint(timeline, metrics, change.until);
    for (let index = start; index < timeline.length && timeline[index][0] < change.until; index++) addInto(timeline[index], metrics, change.delta);
  }
}

function zeroPoint<K extends string>(metrics: MetricSet<K>, at: number): StepPoint {
  const point = new Array<number>(metrics.keys.length + 1).fill(0);
  point[0] = at;
  return point;
}

function withChanges<K extends string>(point: StepPoint, metrics: MetricSet<K>, changes: readonly StepChange<K>[], at: number): StepPoint {
  const result = point.slice();
  result[0] = at;
  for (const change of changes) {
    if (change.from <= at && at < change.until) addInto(result, metrics, change.delta);
  }
  return result;
}

function addInto<K extends string>(point: StepPoint, metrics: MetricSet<K>, delta: Partial<Record<K, number>>): void {
  for (const key in delta) {
    const sum = point[metrics.position[key]] + (delta[key] as number);
    point[metrics.position[key]] = Math.abs(sum) < DRIFT ? 0 : sum;
  }
}

/** Index of the point at `at`, inserting one (a copy of the values in force) when missing. */
function ensurePoint<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, at: number): number {
  const before = indexAtOrBefore(timeline, at);
  if (before >= 0 && timeline[before][0] === at) return before;
  const point = before >= 0 ? timeline[before].slice() : zeroPoint(metrics, at);
  point[0] = at;
  timeline.splice(before + 1, 0, point);
  return before + 1;
}
