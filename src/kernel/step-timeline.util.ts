/**
 * A set of named step functions over business time: sorted points, each holding the values in
 * force from its instant until the next point, so that reading the values at t is a binary search.
 *
 * A change adds a delta over [from, until). Open-ended changes effective long ago (a back-dated
 * delivery, a reservation from a past date) would touch every later point, so the points are kept
 * in blocks of about √n (n points): a change adds to the points of at most two blocks one by one and
 * to every block between them as one pending add (`lazy`), which makes a change O(√n) instead of O(n).
 * Each block also keeps, per bound of its metric set (an invariant's margin, e.g. used − total U),
 * the highest margin of its points: `scan` skips every block whose margins, shifted by the changes,
 * stay below zero, so that checking a change is O(√n) too. Blocks split at twice their span, and
 * all are regrouped into blocks of √n when n has quadrupled since the span was set (amortized O(1) per point).
 *
 * Plain JSON throughout (number arrays and objects: states are cloned and snapshotted). `applyChanges`
 * mutates; everything else is read-only. A block keeps its points by column, and a metric with one value
 * over the whole block as that number alone: a cached PoP state holds a point per event on two timelines,
 * and a change moves one to three of a PoP's 13 metrics, so most columns of a block are one number
 * (test/inventory/domain/pop-state-memory.test.ts).
 */

/** `[at, ...values in metric order]`; read a value with `point[metrics.position[key]]`. */
export type StepPoint = number[];

export interface StepBlock {
  /** The points' instants, in time order. */
  at: number[];
  /** Per metric (its position − 1), the points' values without `lazy`: one number when all points share it, else one per point. */
  columns: (number | number[])[];
  /** Added to every point of the block (same layout as a point; index 0 unused). */
  lazy: number[];
  /** Per bound, the highest margin of the block's points (lazy included); `NO_MARGIN` when none applies. */
  tops: number[];
}

export interface StepTimeline {
  /** Points in all blocks. */
  size: number;
  /** √n when last regrouped: a block is split when it holds more than twice this many points. */
  span: number;
  /** Non-empty blocks in time order. */
  blocks: StepBlock[];
}

/**
 * A quantity that an invariant keeps at or below zero (within a tolerance), as a function of a point,
 * e.g. used + reserved − total U. `shift` says how much a delta (added to a point) moves it: the same
 * for every point, or null when it depends on the point (then no block is skipped for that delta).
 */
export interface TimelineBound<K extends string> {
  margin(point: StepPoint): number;
  shift(delta: Partial<Record<K, number>>): number | null;
}

/** The metrics of a timeline, in storage order, and the bounds its blocks track. */
export interface MetricSet<K extends string> {
  keys: readonly K[];
  /** Position of each metric in a point (1-based; 0 is the instant). */
  position: Readonly<Record<K, number>>;
  bounds: readonly TimelineBound<K>[];
}

/** Add `delta` to the values on [from, until); `until` is Infinity for an open end. */
export interface StepChange<K extends string> {
  from: number;
  until: number;
  delta: Partial<Record<K, number>>;
}

/** A margin for points where the bound does not apply (finite: JSON has no -Infinity). */
const NO_MARGIN = -1e300;

/** Values this close to zero are drift from adding and subtracting the same floats. */
const DRIFT = 1e-9;
/**
 * A block is skipped by `scan` only when every margin stays below −SLACK: far more than the float error
 * of the tracked maxima, so that the exact checks of the caller see every point that could break a bound.
 */
const SLACK = 1e-3;
const MIN_SPAN = 16;

/**
 * A bound that is linear in the metrics: Σ weight × value where `guard` (a count, e.g. of the leases that set a
 * limit) is positive, `NO_MARGIN` elsewhere;
 * a delta that changes the guard moves it differently at each point.
 */
export function linearBound<K extends string>(metrics: readonly K[], weights: Partial<Record<K, number>>, guard?: K): TimelineBound<K> {
  const terms = Object.entries(weights).map(([key, weight]) => [metrics.indexOf(key as K) + 1, weight as number] as const);
  const guardAt = guard === undefined ? 0 : metrics.indexOf(guard) + 1;
  return {
    margin(point) {
      if (guardAt > 0 && !(point[guardAt] > 0)) return NO_MARGIN;
      let sum = 0;
      for (const [at, weight] of terms) sum += weight * point[at];
      return sum;
    },
    shift(delta) {
      if (guard !== undefined && delta[guard]) return null;
      let sum = 0;
      for (const key in weights) sum += (weights[key] as number) * (delta[key] ?? 0);
      return sum;
    },
  };
}

export function metricSet<K extends string>(keys: readonly K[], bounds: readonly TimelineBound<K>[] = []): MetricSet<K> {
  const position = {} as Record<K, number>;
  keys.forEach((key, index) => (position[key] = index + 1));
  return { keys, position, bounds };
}

export function emptyTimeline(): StepTimeline {
  return { size: 0, span: MIN_SPAN, blocks: [] };
}

/** Where a point is: block and index in it. */
interface Slot {
  block: number;
  index: number;
}

/** The last point at or before `at`, or null. */
function locate(timeline: StepTimeline, at: number): Slot | null {
  const { blocks } = timeline;
  let low = 0;
  let high = blocks.length - 1;
  let block = -1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (blocks[mid].at[0] <= at) {
      block = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  if (block < 0) return null;
  const instants = blocks[block].at;
  low = 0;
  high = instants.length - 1;
  let index = 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (instants[mid] <= at) {
      index = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return { block, index };
}

/** A point's values with its block's pending add (a new array). */
function materialize(block: StepBlock, index: number): StepPoint {
  return materializeInto(block, index, new Array<number>(block.lazy.length));
}

function materializeInto(block: StepBlock, index: number, result: StepPoint): StepPoint {
  const { columns, lazy } = block;
  result[0] = block.at[index];
  for (let m = 1; m < lazy.length; m++) {
    const value = valueIn(columns[m - 1], index) + lazy[m];
    result[m] = Math.abs(value) < DRIFT ? 0 : value;
  }
  return result;
}

function valueIn(column: number | number[], index: number): number {
  return typeof column === 'number' ? column : column[index];
}

/** A column as one number when all its values are the same (a block's points come and go, so this is checked when it is cut). */
function compact(values: number[]): number | number[] {
  return values.length > 0 && values.every((value) => value === values[0]) ? values[0] : values;
}

/** Points in a block. */
function countOf(block: StepBlock): number {
  return block.at.length;
}

/** The instant of a block's point `index`. */
function instantOf(block: StepBlock, index: number): number {
  return block.at[index];
}

/** The values in force at `at` (all zeros before the first point), as a new array. */
export function pointAt<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, at: number): StepPoint {
  const slot = locate(timeline, at);
  return slot ? materialize(timeline.blocks[slot.block], slot.index) : zeroPoint(metrics, at);
}

/**
 * Visits, in time order, every instant where the values could differ once `changes` are applied:
 * the existing points inside the changed span and the changes' own boundaries. `visit` gets the
 * point before and after the changes (do not keep or mutate them) and returns a result to stop early.
 * O(points in the span): for callers that need every step (see `scan` for checks).
 */
export function sweep<K extends string, R>(
  timeline: StepTimeline,
  metrics: MetricSet<K>,
  changes: readonly StepChange<K>[],
  visit: (at: number, before: StepPoint, after: StepPoint) => R | undefined,
): R | undefined {
  return walk(timeline, metrics, changes, visit, false);
}

/**
 * Like `sweep`, but skips the points where no bound of `metrics` can be broken: `visit` sees every
 * instant whose margin (after the changes) exceeds −0.001 for some bound, and possibly others. For
 * checks that return a result only where a bound is exceeded: O(√n) when every change shifts the
 * margins uniformly.
 */
export function scan<K extends string, R>(
  timeline: StepTimeline,
  metrics: MetricSet<K>,
  changes: readonly StepChange<K>[],
  visit: (at: number, before: StepPoint, after: StepPoint) => R | undefined,
): R | undefined {
  return walk(timeline, metrics, changes, visit, true);
}

function walk<K extends string, R>(
  timeline: StepTimeline,
  metrics: MetricSet<K>,
  changes: readonly StepChange<K>[],
  visit: (at: number, before: StepPoint, after: StepPoint) => R | undefined,
  prune: boolean,
): R | undefined {
  const live = changes.filter((change) => change.from < change.until);
  if (live.length === 0) return undefined;
  let start = Infinity;
  let end = -Infinity;
  for (const change of live) {
    start = Math.min(start, change.from);
    end = Math.max(end, change.until);
  }
  const bounds = crossings(live);
  const { blocks } = timeline;
  // The cursor: the first point at or after `start`; `previous` is the point in force before it.
  const before = locate(timeline, start - 1);
  let previous = before ? materialize(blocks[before.block], before.index) : zeroPoint(metrics, start);
  let block = before ? before.block : 0;
  let index = before ? before.index + 1 : 0;
  let bound = 0;
  for (;;) {
    if (block < blocks.length && index >= countOf(blocks[block])) {
      block++;
      index = 0;
    }
    const current = block < blocks.length ? blocks[block] : undefined;
    const nextPoint = current ? instantOf(current, index) : Infinity;
    const nextBound = bound < bounds.length ? bounds[bound] : Infinity;
    if (prune && current && index === 0 && nextPoint < nextBound) {
      const last = instantOf(current, countOf(current) - 1);
      if (last < nextBound && last < end && belowBounds(current, metrics, activeDelta(live, nextPoint))) {
        previous = materialize(current, countOf(current) - 1);
        block++;
        continue;
      }
    }
    const at = Math.min(nextPoint, nextBound);
    if (at >= end) return undefined;
    if (nextPoint === at) previous = materialize(current as StepBlock, index++);
    if (nextBound === at) bound++;
    const result = visit(at, previous, withChanges(previous, metrics, live, at));
    if (result !== undefined) return result;
  }
}

/**
 * The changes' finite bounds, sorted and distinct. By loops: a check walks the timeline for one to three changes, and
 * spreading a Set of a flatMap cost more than the rest of a short walk (most of `walk`'s own time in a profile).
 */
function crossings<K extends string>(changes: readonly StepChange<K>[]): number[] {
  const instants: number[] = [];
  for (const { from, until } of changes) {
    if (Number.isFinite(from)) instants.push(from);
    if (Number.isFinite(until)) instants.push(until);
  }
  instants.sort((a, b) => a - b);
  let kept = 0;
  for (const at of instants) if (kept === 0 || instants[kept - 1] !== at) instants[kept++] = at;
  instants.length = kept;
  return instants;
}

/** The sum of the deltas of the changes in force at `at`. */
function activeDelta<K extends string>(changes: readonly StepChange<K>[], at: number): Partial<Record<K, number>> {
  const delta: Partial<Record<K, number>> = {};
  for (const change of changes) {
    if (change.from > at || at >= change.until) continue;
    for (const key in change.delta) delta[key] = (delta[key] ?? 0) + (change.delta[key] as number);
  }
  return delta;
}

/** True when no point of the block can exceed a bound once `delta` is added to it. */
function belowBounds<K extends string>(block: StepBlock, metrics: MetricSet<K>, delta: Partial<Record<K, number>>): boolean {
  if (metrics.bounds.length === 0) return false;
  return metrics.bounds.every((b, k) => {
    const shift = b.shift(delta);
    return shift !== null && block.tops[k] + shift <= -SLACK;
  });
}

/** Applies `changes` in place. */
export function applyChanges<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, changes: readonly StepChange<K>[]): void {
  for (const change of changes) {
    if (change.from >= change.until) continue;
    ensurePoint(timeline, metrics, change.from);
    if (Number.isFinite(change.until)) ensurePoint(timeline, metrics, change.until);
    addRange(timeline, metrics, change);
  }
  if (idealSpan(timeline.size) > 2 * timeline.span) regroup(timeline, metrics);
}

/** Adds the delta to every point on [from, until): point by point in the blocks the bounds cut, as a pending add in the others. */
function addRange<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, { from, until, delta }: StepChange<K>): void {
  const { blocks } = timeline;
  const first = locate(timeline, from) as Slot; // a point at `from` exists
  for (let b = first.block; b < blocks.length; b++) {
    const block = blocks[b];
    const count = countOf(block);
    if (instantOf(block, 0) >= until) return;
    if (instantOf(block, 0) >= from && instantOf(block, count - 1) < until) {
      addInto(block.lazy, metrics, delta, false);
      shiftTops(block, metrics, delta);
      continue;
    }
    const start = b === first.block ? first.index : 0;
    let end = start;
    while (end < count && instantOf(block, end) < until) end++;
    for (const key in delta) addToColumn(block, metrics.position[key], start, end, delta[key] as number);
    if (block.tops.length === metrics.bounds.length && raisesMargins(metrics, delta)) raiseTops(block, metrics, start, end);
    else computeTops(block, metrics);
  }
}

/** Whether `delta` moves every bound's margin up or not at all, alike at every point (no guard changes). */
function raisesMargins<K extends string>(metrics: MetricSet<K>, delta: Partial<Record<K, number>>): boolean {
  for (const bound of metrics.bounds) {
    const shift = bound.shift(delta);
    if (shift === null || shift < 0) return false;
  }
  return true;
}

/**
 * The tops of a block whose points [start, end) had margins moved up: the points outside kept theirs, so
 * each top is the old one or a moved point's margin. A delivery at the end of a timeline moves one point
 * of its block, where `computeTops` would visit them all.
 */
function raiseTops<K extends string>(block: StepBlock, metrics: MetricSet<K>, start: number, end: number): void {
  const { bounds } = metrics;
  const point = new Array<number>(block.lazy.length);
  for (let i = start; i < end; i++) {
    materializeInto(block, i, point);
    for (let k = 0; k < bounds.length; k++) block.tops[k] = Math.max(block.tops[k], bounds[k].margin(point));
  }
}

function shiftTops<K extends string>(block: StepBlock, metrics: MetricSet<K>, delta: Partial<Record<K, number>>): void {
  for (let k = 0; k < metrics.bounds.length; k++) {
    const shift = metrics.bounds[k].shift(delta);
    if (shift === null) {
      computeTops(block, metrics);
      return;
    }
    if (block.tops[k] !== NO_MARGIN) block.tops[k] += shift;
  }
}

function computeTops<K extends string>(block: StepBlock, metrics: MetricSet<K>): void {
  const { bounds } = metrics;
  const tops = bounds.map(() => NO_MARGIN);
  const point = new Array<number>(block.lazy.length); // reused: this runs over whole blocks on every change
  for (let i = 0; i < countOf(block) && bounds.length > 0; i++) {
    materializeInto(block, i, point);
    for (let k = 0; k < bounds.length; k++) tops[k] = Math.max(tops[k], bounds[k].margin(point));
  }
  block.tops = tops;
}

/** Adds a point at `at` (a copy of the values in force) unless there is one. */
function ensurePoint<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, at: number): void {
  const slot = locate(timeline, at);
  if (slot && instantOf(timeline.blocks[slot.block], slot.index) === at) return;
  if (timeline.blocks.length === 0) timeline.blocks.push({ at: [], columns: metrics.keys.map(() => 0), lazy: new Array<number>(metrics.keys.length + 1).fill(0), tops: [] });
  const b = slot ? slot.block : 0;
  const block = timeline.blocks[b];
  // A copy of the point in force (same block, same pending add) has its margins; a zero point's may be new
  // (`0 - value`: never -0, which JSON does not keep).
  const index = slot ? slot.index + 1 : 0;
  block.at.splice(index, 0, at);
  block.columns.forEach((column, c) => {
    const value = slot ? valueIn(column, slot.index) : 0 - block.lazy[c + 1];
    if (typeof column !== 'number') {
      column.splice(index, 0, value);
    } else if (column !== value) {
      const values = new Array<number>(countOf(block)).fill(column);
      values[index] = value;
      block.columns[c] = values;
    }
  });
  timeline.size++;
  if (!slot || block.tops.length !== metrics.bounds.length) computeTops(block, metrics);
  if (countOf(block) > 2 * timeline.span) split(timeline, metrics, b);
}

function split<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>, b: number): void {
  const block = timeline.blocks[b];
  const cut = countOf(block) >>> 1;
  // Both halves in arrays of their own size: the first no longer grows, and one grown by pushes keeps spare room.
  const half = (start: number, end?: number) => block.columns.map((column) => (typeof column === 'number' ? column : compact(column.slice(start, end))));
  const second: StepBlock = { at: block.at.slice(cut), columns: half(cut), lazy: block.lazy.slice(), tops: [] };
  block.at = block.at.slice(0, cut);
  block.columns = half(0, cut);
  computeTops(block, metrics);
  computeTops(second, metrics);
  timeline.blocks.splice(b + 1, 0, second);
}

/** √n points a block: as many blocks as points in one. */
function idealSpan(size: number): number {
  return Math.max(MIN_SPAN, Math.ceil(Math.sqrt(size)));
}

/** Regroups the points into blocks of √n, pending adds applied (when n has quadrupled: amortized O(1) a point). */
function regroup<K extends string>(timeline: StepTimeline, metrics: MetricSet<K>): void {
  const points: StepPoint[] = [];
  for (const block of timeline.blocks) for (let i = 0; i < countOf(block); i++) points.push(materialize(block, i));
  timeline.span = idealSpan(points.length);
  timeline.blocks = [];
  for (let i = 0; i < points.length; i += timeline.span) {
    const group = points.slice(i, i + timeline.span);
    const columns = metrics.keys.map((_, c) => compact(group.map((point) => point[c + 1])));
    const block: StepBlock = { at: group.map((point) => point[0]), columns, lazy: new Array<number>(metrics.keys.length + 1).fill(0), tops: [] };
    computeTops(block, metrics);
    timeline.blocks.push(block);
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
    if (change.from <= at && at < change.until) addInto(result, metrics, change.delta, true);
  }
  return result;
}

/** Adds `delta` into `values` (a point, a block's pending add); with `snap`, a value that ends within drift of zero is set to exactly zero. */
function addInto<K extends string>(values: number[], metrics: MetricSet<K>, delta: Partial<Record<K, number>>, snap: boolean): void {
  for (const key in delta) {
    const m = metrics.position[key];
    const sum = values[m] + (delta[key] as number);
    values[m] = snap && Math.abs(sum) < DRIFT ? 0 : sum;
  }
}

/**
 * Adds `amount` to metric `m` of the block's points [start, end); a value that ends within drift of zero with the
 * block's pending add counted is set to exactly zero. A column of one number stays one only when all points change.
 */
function addToColumn(block: StepBlock, m: number, start: number, end: number, amount: number): void {
  const column = block.columns[m - 1];
  const offset = block.lazy[m];
  const snapped = (value: number) => {
    const sum = value + amount;
    const shown = sum + offset;
    return Math.abs(shown) < DRIFT ? sum - shown : sum;
  };
  if (typeof column === 'number' && start === 0 && end === countOf(block)) {
    block.columns[m - 1] = snapped(column);
    return;
  }
  const values = typeof column === 'number' ? new Array<number>(countOf(block)).fill(column) : column;
  for (let i = start; i < end; i++) values[i] = snapped(values[i]);
  block.columns[m - 1] = values;
}
