import { SqlQueryable } from '../database/sql-client.port';
import { TableNames } from './projection.port';

/**
 * A table of step functions over effective time: per key (e.g. a PoP), points (key, at, values) hold
 * the values in force from `at` until the key's next point, so the values at t are one index probe
 * (the last point at or before t).
 *
 * A back-dated delta changes every later point. So that writing it does not grow with the key's
 * history, each key's points are grouped in blocks of consecutive points: a block is named by an
 * instant at or before its first point (the first block by -infinity) and holds a base per metric;
 * a point stores its values less its block's base. A delta at t updates only the points of t's block
 * from t on and adds itself to the bases of the later blocks. A block that outgrows 2·blockSize
 * points is cut into blocks of blockSize that start with the same base, so their points keep their
 * stored values. The view named `table` adds the bases back: readers see the plain step table.
 *
 * Each block also keeps the least and greatest stored value of each metric over its points. Those do
 * not move when a delta before the block changes its base, so a reader can bound a block's values
 * (`readSpans`) and skip the points of blocks that cannot matter to it.
 * Values are kept in arrays in metric order (rebuilds write hundreds of thousands of points).
 */

export type MetricType = 'int' | 'float8';

/** A point whose values changed: `before` is what was in force there, `after` what is now (metric order). */
export interface ChangedPoint {
  keys: string[];
  at: string;
  before: Float64Array;
  after: Float64Array;
}

/** Sums of floats this close to zero are drift from adding and subtracting the same values. */
const DRIFT = 1e-9;
/** The name of each key's first block: before every instant, also as an ISO string. */
const FIRST = '-infinity';
/** About the square root of a long history's points: a back-dated delta then writes ~2·√n rows. */
const BLOCK_SIZE = 128;
/**
 * A key with at most this many deltas in a write reads only the blocks its deltas fall in and moves the
 * bases of the later ones in one statement; a key with more (a rebuild) reads all its blocks from the first.
 */
const PROBED_DELTAS = 16;
/**
 * The statement texts of each step-table definition (tables, keys, metrics, block size), shared by its instances:
 * a projection makes new StepTables for every batch, so texts kept per instance were built again per batch. At
 * most this many per definition (a process that works on many schemas, the tests, starts afresh past it).
 */
const SHARED_TEXTS = new Map<string, Map<string, string>>();
const MAX_TEXTS = 256;

interface Block {
  id: string;
  /** What the stored points of the block lack, before and after this write. */
  oldBase: Float64Array;
  base: Float64Array;
  points: number;
  /** Its points before this write, and their least and greatest stored values (null: none). */
  oldPoints: number;
  oldMin: Float64Array | null;
  oldMax: Float64Array | null;
  /** After this write: kept, or worked out from what the write saw (`settleRange`). */
  min: Float64Array | null;
  max: Float64Array | null;
  /** What this write saw of the block: earlier points read, with their least and greatest values before and after. */
  seen: Seen | null;
  /** Its range depends on points this write did not read: taken from the points table after the write. */
  recount: boolean;
  /** Where the next block starts (null: the last block). */
  until: string | null;
  /** New, or its base or point count changed: written back. */
  dirty: boolean;
  /** Where this write's new points of the block are in its inserts. */
  inserted: number[];
}

interface Seen {
  earlier: number;
  oldMin: Float64Array;
  oldMax: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** A block of a key as readers see it: its span of time and each metric's least and greatest value there. */
export interface BlockSpan {
  /** Its first instant (`since` for the first span read from it, '-infinity' for a key's first block) and the next block's (null: the last one). */
  from: string;
  until: string | null;
  /** In metric order: absolute values, bounds of every point of the span. */
  min: Float64Array;
  max: Float64Array;
}

/** A block's points after `after` gain the key's deltas up to it: absolute values + `sum` (metric order). */
interface Shift {
  keys: string[];
  block: Block;
  after: string;
  sum: Float64Array;
}

/** A probed key's blocks after `after` and before `before` (null: the last ones), none of them read: their bases gain `shift`. */
interface Gap {
  keys: string[];
  after: string;
  before: string | null;
  shift: Float64Array;
}

interface StoredPoint {
  at: string;
  block: string;
  /** Stored values: the absolute ones less the block's base. */
  values: Float64Array;
}

/**
 * One key's share of a write: its deltas in time order and its blocks from the one in force at the first delta
 * (`probed`: only those its deltas fall in, whose `until` still names the block after each).
 */
interface KeyWrite {
  keys: string[];
  deltas: [string, Float64Array][];
  blocks: Block[];
  byId: Map<string, Block>;
  probed: boolean;
}

/**
 * Points of a key to read and rewrite: the one in force before `since` (back to `from`), and those in [since, until).
 * With `last` (a write in blocks), only those up to its last delta: the later ones of the block are shifted on the server.
 */
interface Range {
  write: KeyWrite;
  from: string;
  since: string;
  until: string | null;
  last: string | null;
  /** The key's first delta at or after `since`, and the sum of those before it. */
  first: number;
  earlier: Float64Array;
}

export class StepTable<M extends string> {
  readonly metricNames: readonly M[];
  /** Position of each metric in the value arrays. */
  readonly index: Readonly<Record<M, number>>;
  /** The physical tables behind the view `table`. */
  readonly pointTable: string;
  readonly blockTable: string;
  /** Per key, per instant (ISO with ms and Z), the delta. */
  private readonly deltas = new Map<string, { keys: string[]; at: Map<string, Float64Array> }>();
  private readonly floats: boolean[];
  private readonly zero: Float64Array;
  /** The columns `valuesOf` reads per suffix, named once: a name concatenated per row is looked up by content on every read. */
  private readonly columnsOf: Readonly<Record<'' | '_min' | '_max', readonly string[]>>;
  /** The write path's statement texts per shape and table names, built once per definition (see `text`). */
  private readonly texts: Map<string, string>;

  constructor(
    readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly metrics: Readonly<Record<M, MetricType>>,
    private readonly blockSize = BLOCK_SIZE,
  ) {
    this.metricNames = Object.keys(metrics) as M[];
    this.index = Object.fromEntries(this.metricNames.map((metric, position) => [metric, position])) as Record<M, number>;
    this.floats = this.metricNames.map((metric) => metrics[metric] === 'float8');
    this.zero = new Float64Array(this.metricNames.length);
    this.columnsOf = { '': this.metricNames, _min: this.metricNames.map((metric) => `${metric}_min`), _max: this.metricNames.map((metric) => `${metric}_max`) };
    this.pointTable = `${table}_points`;
    this.blockTable = `${table}_blocks`;
    const definition = [table, blockSize, ...keyColumns, ...this.metricNames.map((metric) => `${metric} ${metrics[metric]}`)].join(' ');
    let texts = SHARED_TEXTS.get(definition);
    if (texts === undefined) SHARED_TEXTS.set(definition, (texts = new Map()));
    this.texts = texts;
  }

  /**
   * The two tables and the view (statements separated by semicolons). The values (metrics, bounds, point
   * counts) get no statistics: reads select by key and instant and only return or aggregate the values, so
   * an ANALYZE (the rebuild's before the swap, autovacuum's) samples the keys, instants and blocks alone.
   */
  createTable(t: TableNames): string {
    const keys = this.keyColumns.map((column) => `${column} text COLLATE "C" NOT NULL`);
    const metrics = this.metricNames.map((metric) => `${metric} ${this.metrics[metric]} NOT NULL`);
    const ranges = this.metricNames.flatMap((metric) => [`${metric}_min ${this.metrics[metric]} NOT NULL`, `${metric}_max ${this.metrics[metric]} NOT NULL`]);
    const sameBlock = [...this.keyColumns, 'block'].map((column) => `b.${column} = p.${column}`).join(' AND ');
    const sums = this.metricNames.map((metric) => `p.${metric} + b.${metric} AS ${metric}`);
    const bases = this.metricNames.map((metric) => `b.${metric}`).join(', ');
    return `CREATE TABLE ${t(this.pointTable)} (${[...keys, 'at timestamptz NOT NULL', 'block timestamptz NOT NULL', ...metrics].join(', ')},
        PRIMARY KEY (${[...this.keyColumns, 'at'].join(', ')}));
      CREATE TABLE ${t(this.blockTable)} (${[...keys, 'block timestamptz NOT NULL', 'points int NOT NULL', ...metrics, ...ranges].join(', ')},
        PRIMARY KEY (${[...this.keyColumns, 'block'].join(', ')}));
      CREATE VIEW ${t(this.table)} AS SELECT ${[...this.keyColumns.map((column) => `p.${column}`), 'p.at', ...sums].join(', ')}
        FROM ${t(this.pointTable)} p
        CROSS JOIN LATERAL (SELECT ${bases} FROM ${t(this.blockTable)} b WHERE ${sameBlock} OFFSET 0) b;
      ${noStatistics(t(this.pointTable), this.metricNames)};
      ${noStatistics(t(this.blockTable), ['points', ...this.metricNames.flatMap((metric) => [metric, `${metric}_min`, `${metric}_max`])])}`;
  }

  /** Adds `delta` to the values from `at` (ISO 8601) on; an absent `at` (an open end) adds nothing. */
  add(keys: string[], at: string | null, delta: Partial<Record<M, number>>): void {
    if (at === null) return;
    const instant = canonicalInstant(at);
    const id = keys.join('\u0000');
    let entry = this.deltas.get(id);
    if (!entry) {
      entry = { keys, at: new Map() };
      this.deltas.set(id, entry);
    }
    let values = entry.at.get(instant);
    if (!values) {
      values = new Float64Array(this.metricNames.length);
      entry.at.set(instant, values);
    }
    for (const metric of Object.keys(delta) as M[]) values[this.index[metric]] += delta[metric] as number;
  }

  /**
   * Applies the deltas; with `changes`, returns the changed points per key in time order. Those are all the
   * points from each key's first delta on, so that write reads (not writes) every later point.
   */
  async write(tx: SqlQueryable, t: TableNames, { changes = false } = {}): Promise<ChangedPoint[]> {
    if (this.deltas.size === 0) return [];
    const writes: KeyWrite[] = [...this.deltas.values()].map(({ keys, at }) => ({
      keys,
      deltas: [...at].sort(([a], [b]) => compare(a, b)),
      blocks: [],
      byId: new Map(),
      probed: !changes && at.size <= PROBED_DELTAS,
    }));
    const probed = await this.readBlocks(tx, t, writes);
    const ranges: Range[] = [];
    for (const write of writes) {
      this.addToBases(write);
      const { deltas } = write;
      if (changes) ranges.push({ write, from: this.blockAt(write, deltas[0][0]).id, since: deltas[0][0], until: null, last: null, first: 0, earlier: this.zero });
      else {
        const earlier = new Float64Array(this.metricNames.length);
        deltas.forEach(([at, delta], d) => {
          const block = this.blockAt(write, at);
          const range = ranges.at(-1);
          if (range?.write === write && range.from === block.id) range.last = at;
          else ranges.push({ write, from: block.id, since: at, until: block.until, last: at, first: d, earlier: earlier.slice() });
          add(earlier, delta);
        });
      }
    }
    // A probed key's ranges came with its blocks; the others' are read now.
    const scanned = ranges.filter(({ write }) => !write.probed);
    const read = await this.readPoints(tx, t, scanned);
    // `read` follows `scanned`, which keeps the ranges' order (a rebuild's batch has thousands: no search per range).
    let next = 0;
    const stored = ranges.map((range) =>
      range.write.probed ? (probed.get(range.write.deltas[range.first]) ?? []).filter(({ at }) => at <= (range.last as string)) : read[next++],
    );
    const inserts = this.columns(true);
    const updates = this.columns(false);
    const changed: ChangedPoint[] = [];
    const shifts: Shift[] = [];
    ranges.forEach((range, r) => this.apply(range, stored[r], inserts, updates, shifts, changes ? changed : null));
    for (const write of writes) for (const block of write.blocks) this.settleRange(block);
    // Before any split adds blocks: the gaps are between the blocks read.
    const gaps = this.gapsOf(writes);
    this.cutNew(writes, inserts);
    await this.insert(tx, t(this.pointTable), inserts);
    await this.update(tx, t(this.pointTable), updates);
    // After the points up to each last delta are written: the server takes each block's bounds from all its points.
    await this.shiftPoints(tx, t(this.pointTable), shifts);
    await this.split(tx, t, writes);
    await this.writeBlocks(tx, t(this.blockTable), writes, gaps);
    await this.recount(tx, t, writes);
    return changed;
  }

  /**
   * Per key, the blocks in force at its deltas (probed) or the one in force at its first delta and every later
   * one; a key without points gets its first block. In the same statement, for a probed key, the stored points
   * each of its blocks' ranges reads (see `readPoints`), up to the key's last delta: returned per delta that
   * starts a range (the first of the key's deltas in its block), for `write` to cut at the range's last delta.
   */
  private async readBlocks(tx: SqlQueryable, t: TableNames, writes: KeyWrite[]): Promise<Map<[string, Float64Array], StoredPoint[]>> {
    const columns = this.keyColumns;
    // Probed: per delta, the block in force and the id of the one after it (`next`), and the points of its range.
    const probes = writes.flatMap((write, w) => (write.probed ? write.deltas.map((delta, d) => ({ w, at: delta[0], delta, prev: write.deltas[d - 1]?.[0] ?? null })) : []));
    const scans = writes.flatMap((write, w) => (write.probed ? [] : [{ w, at: write.deltas[0][0] }]));
    const params = (list: { w: number; at: string }[]) => [...columns.map((_, index) => list.map(({ w }) => writes[w].keys[index])), list.map(({ at }) => at), list.map(({ w }) => w)];
    const tables = `${t(this.blockTable)} ${t(this.pointTable)}`;
    const rows = [
      ...(probes.length === 0
        ? []
        : (
            await tx.query<Record<string, unknown>>(
              this.text(`probe ${tables}`, () => this.readBlocksText(t, true)),
              [...params(probes), probes.map(({ prev }) => prev), probes.map(({ w }) => (writes[w].deltas.at(-1) as [string, Float64Array])[0])],
            )
          ).rows),
      ...(scans.length === 0
        ? []
        : (
            await tx.query<Record<string, unknown>>(
              this.text(`scan ${tables}`, () => this.readBlocksText(t, false)),
              params(scans),
            )
          ).rows),
    ];
    const ranges = new Map<[string, Float64Array], StoredPoint[]>();
    for (const row of rows) {
      if (row.at === null || row.at === undefined) continue;
      const { delta } = probes[Number(row.p) - 1];
      let list = ranges.get(delta);
      if (!list) ranges.set(delta, (list = []));
      list.push({ at: instantOf(row.at), block: instantOf(row.block), values: this.valuesOf(row) });
    }
    for (const list of ranges.values()) list.sort((a, b) => compare(a.at, b.at));
    const after = writes.map((): string[] => []);
    for (const row of rows) {
      if (row.at !== null && row.at !== undefined) continue;
      const write = writes[row.w as number];
      const id = instantOf(row.block);
      if (row.next) after[row.w as number].push(id);
      else if (!write.byId.has(id)) {
        const base = this.valuesOf(row);
        const block = { ...this.block(id, base, row.points as number, this.valuesOf(row, '_min'), this.valuesOf(row, '_max')), dirty: false };
        write.blocks.push(block);
        write.byId.set(id, block);
      }
    }
    writes.forEach(({ blocks, byId }, w) => {
      if (blocks.length === 0) {
        blocks.push(this.block(FIRST, this.zero, 0, null, null));
        byId.set(FIRST, blocks[0]);
      }
      blocks.sort((a, b) => compare(a.id, b.id));
      // Each block's successor: the next block read, or a later one only named.
      const ids = [...new Set([...blocks.map(({ id }) => id), ...after[w]])].sort(compare);
      for (const block of blocks) block.until = ids[ids.indexOf(block.id) + 1] ?? null;
    });
    return ranges;
  }

  /**
   * A probed key's blocks that were not read lie between the ones read: each such gap gains the deltas of
   * the blocks before it.
   */
  private gapsOf(writes: KeyWrite[]): Gap[] {
    const gaps: Gap[] = [];
    for (const { keys, deltas, blocks, probed } of writes) {
      if (!probed) continue;
      const shift = new Float64Array(this.metricNames.length);
      let d = 0;
      blocks.forEach((block, b) => {
        const before = blocks[b + 1]?.id ?? null;
        for (; d < deltas.length && (block.until === null || deltas[d][0] < block.until); d++) add(shift, deltas[d][1]);
        if (block.until !== null && block.until !== before && shift.some((value) => value !== 0)) gaps.push({ keys, after: block.id, before, shift: shift.slice() });
      });
    }
    return gaps;
  }

  private block(id: string, base: Float64Array, points: number, min: Float64Array | null, max: Float64Array | null): Block {
    return { id, oldBase: base, base: base.slice(), points, until: null, dirty: true, oldPoints: points, oldMin: min, oldMax: max, min, max, seen: null, recount: false, inserted: [] };
  }

  /** Each block's base gains the deltas of the earlier blocks. */
  private addToBases({ deltas, blocks }: KeyWrite): void {
    const sum = new Float64Array(this.metricNames.length);
    let d = 0;
    for (const block of blocks) {
      for (; d < deltas.length && deltas[d][0] < block.id; d++) add(sum, deltas[d][1]);
      if (!sum.some((value) => value !== 0)) continue;
      for (let m = 0; m < sum.length; m++) block.base[m] = this.clean(m, block.oldBase[m] + sum[m]);
      block.dirty = true;
    }
  }

  /** The block of the points in force at `at` (the last one named at or before it: binary search). */
  private blockAt({ blocks }: KeyWrite, at: string): Block {
    let low = 0;
    let high = blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (blocks[middle].id <= at) low = middle;
      else high = middle - 1;
    }
    return blocks[low];
  }

  /** The texts of readBlocks: per delta of the `probed` keys, or from the first delta of the others. */
  private readBlocksText(t: TableNames, probed: boolean): string {
    const columns = this.keyColumns;
    const n = columns.length;
    const table = t(this.blockTable);
    const sameKey = columns.map((column) => `s.${column} = d.${column}`).join(' AND ');
    const metrics = [...this.metricNames, ...this.rangeColumns()].map((column) => `s.${column}`).join(', ');
    if (!probed) {
      return `SELECT d.w, b.* FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::int[]) AS d(${columns.join(', ')}, since, w)
                 CROSS JOIN LATERAL (
                   (SELECT s.block, s.points, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.block <= d.since ORDER BY s.block DESC LIMIT 1)
                   UNION ALL
                   (SELECT s.block, s.points, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.block > d.since)
                 ) b`;
    }
    const points = t(this.pointTable);
    // Point rows in the block rows' shape: the stored values in the metric columns, the ranges' columns null.
    const noRanges = this.metricNames.map((metric) => `NULL::${this.metrics[metric]} AS ${metric}_min, NULL::${this.metrics[metric]} AS ${metric}_max`).join(', ');
    const stored = this.metricNames.map((metric) => `s.${metric}`).join(', ');
    return `WITH d AS (
                 SELECT * FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::int[], $${n + 3}::timestamptz[], $${n + 4}::timestamptz[])
                   WITH ORDINALITY AS d(${columns.join(', ')}, at, w, prev, key_last, p)
               )
               SELECT d.w, d.p, b.* FROM d
                 CROSS JOIN LATERAL (
                   (SELECT s.block, s.points, ${metrics}, false AS next, NULL::timestamptz AS at FROM ${table} s WHERE ${sameKey} AND s.block <= d.at ORDER BY s.block DESC LIMIT 1)
                   UNION ALL
                   (SELECT s.block, s.points, ${metrics}, true AS next, NULL::timestamptz AS at FROM ${table} s WHERE ${sameKey} AND s.block > d.at ORDER BY s.block LIMIT 1)
                 ) b
               UNION ALL
               SELECT d.w, d.p, r.* FROM d
                 CROSS JOIN LATERAL (SELECT s.block FROM ${table} s WHERE ${sameKey} AND s.block <= d.at ORDER BY s.block DESC LIMIT 1) f
                 CROSS JOIN LATERAL (
                   (SELECT s.block, NULL::int AS points, ${stored}, ${noRanges}, NULL::bool AS next, s.at FROM ${points} s
                     WHERE ${sameKey} AND s.at >= f.block AND s.at < d.at ORDER BY s.at DESC LIMIT 1)
                   UNION ALL
                   (SELECT s.block, NULL::int, ${stored}, ${noRanges}, NULL::bool, s.at FROM ${points} s
                     WHERE ${sameKey} AND s.at >= d.at AND s.at <= d.key_last
                       AND s.at < coalesce((SELECT min(s.block) FROM ${table} s WHERE ${sameKey} AND s.block > d.at), 'infinity'))
                 ) r
                WHERE d.prev IS NULL OR d.prev < f.block`;
  }

  /** Per range, the stored points it covers (the one before `since` first, if any), in time order. */
  private async readPoints(tx: SqlQueryable, t: TableNames, ranges: Range[]): Promise<StoredPoint[][]> {
    if (ranges.length === 0) return [];
    const columns = this.keyColumns;
    const table = t(this.pointTable);
    const sameKey = columns.map((column) => `s.${column} = d.${column}`).join(' AND ');
    const metrics = this.metricNames.map((metric) => `s.${metric}`).join(', ');
    const n = columns.length;
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT d.n, p.* FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[], $${n + 3}::timestamptz[], $${n + 4}::timestamptz[])
           WITH ORDINALITY AS d(${columns.join(', ')}, from_at, since, until, last, n)
         CROSS JOIN LATERAL (
           (SELECT s.at, s.block, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.at >= d.from_at AND s.at < d.since ORDER BY s.at DESC LIMIT 1)
           UNION ALL
           (SELECT s.at, s.block, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.at >= d.since AND s.at < coalesce(d.until, 'infinity') AND s.at <= coalesce(d.last, 'infinity'))
         ) p`,
      [
        ...columns.map((_, index) => ranges.map(({ write }) => write.keys[index])),
        ranges.map(({ from }) => from),
        ranges.map(({ since }) => since),
        ranges.map(({ until }) => until),
        ranges.map(({ last }) => last),
      ],
    );
    const points = ranges.map((): StoredPoint[] => []);
    for (const row of rows) points[Number(row.n) - 1].push({ at: instantOf(row.at), block: instantOf(row.block), values: this.valuesOf(row) });
    for (const list of points) list.sort((a, b) => compare(a.at, b.at));
    return points;
  }

  /** Merges a range's stored points with the key's deltas from `since` on (before `until`); the block's later points are left to `shifts`. */
  private apply(range: Range, points: StoredPoint[], inserts: Columns, updates: Columns, shifts: Shift[], changed: ChangedPoint[] | null): void {
    const { write, since, until } = range;
    const { keys, deltas } = write;
    const blocks = write.byId;
    const size = this.metricNames.length;
    const absolute = (point: StoredPoint) => {
      const base = (blocks.get(point.block) as Block).oldBase;
      return point.values.map((value, m) => value + base[m]);
    };
    let p = 0;
    // Values in force before `since`: the point before it (read first), or zero (no earlier point in the key).
    let inForce = this.zero;
    if (points.length > 0 && points[0].at < since) inForce = absolute(points[p++]);
    // Every delta before `since` (in an earlier block) changes the values too.
    const sum = range.earlier.slice();
    let d = range.first;
    const end = (at: string) => until !== null && at >= until;
    while (p < points.length || (d < deltas.length && !end(deltas[d][0]))) {
      const nextDelta = d < deltas.length && !end(deltas[d][0]) ? deltas[d][0] : null;
      const at = nextDelta === null || (p < points.length && points[p].at <= nextDelta) ? points[p].at : nextDelta;
      const stored = p < points.length && points[p].at === at ? points[p++] : null;
      if (stored) inForce = absolute(stored);
      if (nextDelta === at) add(sum, deltas[d++][1]);
      const block = stored ? (blocks.get(stored.block) as Block) : this.blockAt(write, at);
      const after = new Float64Array(size);
      const values = new Float64Array(size);
      for (let m = 0; m < size; m++) {
        after[m] = this.clean(m, inForce[m] + sum[m]);
        values[m] = after[m] - block.base[m];
      }
      if (!stored) {
        block.inserted.push(inserts.at.length);
        inserts.push(keys, at, block.id, values);
        block.points++;
        block.dirty = true;
      } else if (values.some((value, m) => value !== stored.values[m])) updates.push(keys, at, block.id, values);
      this.see(block, stored?.values ?? null, values);
      changed?.push({ keys, at, before: inForce, after });
    }
    // A block whose every stored point was read here has none after the last delta: nothing to shift (a
    // rebuild's new keys and appended history), and settleRange has its bounds from what it saw.
    const block = blocks.get(range.from) as Block;
    const unread = block.oldPoints - (block.seen?.earlier ?? 0);
    if (range.last !== null && unread > 0 && sum.some((value, m) => value !== range.earlier[m])) {
      shifts.push({ keys, block, after: range.last, sum });
    }
  }

  /**
   * Adds each shift to the points of its block after its last delta, as `apply` would (absolute value, drift
   * taken out, less the block's base), in one statement that also returns the bounds of all the block's points.
   */
  private async shiftPoints(tx: SqlQueryable, table: string, shifts: Shift[]): Promise<void> {
    if (shifts.length === 0) return;
    const columns = this.keyColumns;
    const metrics = this.metricNames;
    const { rows } = await tx.query<Record<string, unknown>>(this.text(`shift ${table}`, () => this.shiftText(table)), [
      ...columns.map((_, index) => shifts.map(({ keys }) => keys[index])),
      shifts.map(({ block }) => block.id),
      shifts.map(({ after }) => after),
      shifts.map(({ block }) => block.until),
      ...metrics.flatMap((_, m) => [shifts.map(({ block }) => block.oldBase[m]), shifts.map(({ sum }) => sum[m]), shifts.map(({ block }) => block.base[m])]),
    ]);
    for (const row of rows) {
      const { block } = shifts[Number(row.n) - 1];
      Object.assign(block, { min: this.valuesOf(row, '_min'), max: this.valuesOf(row, '_max'), recount: false, dirty: true });
    }
  }

  /** The shift's text for `table` (shiftPoints). */
  private shiftText(table: string): string {
    const columns = this.keyColumns;
    const n = columns.length;
    const metrics = this.metricNames;
    const sameKey = columns.map((column) => `s.${column} = g.${column}`).join(' AND ');
    const shifted = (metric: string, m: number) => {
      const after = `(s.${metric} + g.${metric}_old) + g.${metric}_sum`;
      return `${this.floats[m] ? `CASE WHEN abs(${after}) < ${DRIFT} THEN 0 ELSE ${after} END` : after} - g.${metric}_base`;
    };
    const arrays = metrics.flatMap((metric, m) => [0, 1, 2].map((i) => `$${n + 4 + 3 * m + i}::${this.metrics[metric]}[]`));
    return `WITH g AS (
         SELECT * FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[], $${n + 3}::timestamptz[], ${arrays.join(', ')})
           WITH ORDINALITY AS g(${[...columns, 'block', 'after_at', 'until', ...metrics.flatMap((metric) => [`${metric}_old`, `${metric}_sum`, `${metric}_base`]), 'n'].join(', ')})
       ), moved AS (
         UPDATE ${table} AS s SET ${metrics.map((metric, m) => `${metric} = ${shifted(metric, m)}`).join(', ')}
           FROM g WHERE ${sameKey} AND s.at > g.after_at AND s.at < coalesce(g.until, 'infinity')
         RETURNING g.n, ${metrics.map((metric) => `s.${metric}`).join(', ')}
       )
       SELECT n, ${metrics.map((metric) => `min(${metric}) AS ${metric}_min, max(${metric}) AS ${metric}_max`).join(', ')}
         FROM (SELECT * FROM moved
               UNION ALL
               SELECT g.n, ${metrics.map((metric) => `s.${metric}`).join(', ')} FROM g JOIN ${table} s ON ${sameKey} AND s.at >= g.block AND s.at <= g.after_at) p
        GROUP BY n`;
  }

  /** Notes a point of the block this write read (`before`: its stored values; null: a new point) and wrote. */
  private see(block: Block, before: Float64Array | null, after: Float64Array): void {
    const size = this.metricNames.length;
    block.seen ??= {
      earlier: 0,
      oldMin: new Float64Array(size).fill(Infinity),
      oldMax: new Float64Array(size).fill(-Infinity),
      min: new Float64Array(size).fill(Infinity),
      max: new Float64Array(size).fill(-Infinity),
    };
    const seen = block.seen;
    if (before) {
      seen.earlier++;
      lower(seen.oldMin, before);
      raise(seen.oldMax, before);
    }
    lower(seen.min, after);
    raise(seen.max, after);
  }

  /**
   * A block's least and greatest values after the write, from the old ones and what the write saw. The
   * points it did not read kept their values; when the old extreme may have been only among the points it
   * read and those moved inwards, the points it did not read decide: the block is recounted from the table.
   */
  private settleRange(block: Block): void {
    const { seen, oldMin, oldMax } = block;
    if (!seen) return;
    const whole = seen.earlier === block.oldPoints;
    const min = seen.min.slice();
    const max = seen.max.slice();
    if (!whole && oldMin && oldMax) {
      for (let m = 0; m < min.length; m++) {
        if (seen.oldMin[m] > oldMin[m]) min[m] = Math.min(min[m], oldMin[m]);
        else if (min[m] > oldMin[m]) block.recount = true;
        if (seen.oldMax[m] < oldMax[m]) max[m] = Math.max(max[m], oldMax[m]);
        else if (max[m] < oldMax[m]) block.recount = true;
      }
    }
    if (!oldMin || !oldMax || min.some((value, m) => value !== oldMin[m]) || max.some((value, m) => value !== oldMax[m])) block.dirty = true;
    block.min = min;
    block.max = max;
  }

  /**
   * `split` for the blocks whose every point is new in this write (a rebuild's new keys), before their points are
   * inserted: cut in memory, so the server neither reads them back nor writes them twice.
   */
  private cutNew(writes: KeyWrite[], inserts: Columns): void {
    const block = inserts.block as string[];
    for (const write of writes) {
      for (const full of write.blocks.filter((candidate) => candidate.oldPoints === 0 && candidate.points > 2 * this.blockSize)) {
        const rows = full.inserted.sort((a, b) => compare(inserts.at[a], inserts.at[b]));
        const cuts = this.cut(full, rows.length, (i) => inserts.at[rows[i]], (i, m) => inserts.metrics[m][rows[i]]);
        cuts.forEach((cut, c) => {
          for (const row of rows.slice((c + 1) * this.blockSize, (c + 2) * this.blockSize)) block[row] = cut.id;
        });
        write.blocks.push(...cuts);
      }
    }
  }

  /**
   * Cuts each block that outgrew 2·blockSize points into blocks of blockSize points (the last one of 1 to
   * blockSize), named by their first points. They start with the block's base, so no stored value changes;
   * their ranges are taken from the points read.
   */
  private async split(tx: SqlQueryable, t: TableNames, writes: KeyWrite[]): Promise<void> {
    const full = writes.flatMap((write) => write.blocks.filter((block) => block.points > 2 * this.blockSize).map((block) => ({ write, block })));
    if (full.length === 0) return;
    const columns = this.keyColumns;
    const n = columns.length;
    const table = t(this.pointTable);
    const sameKey = columns.map((column) => `s.${column} = d.${column}`).join(' AND ');
    const metrics = this.metricNames.map((metric) => `s.${metric}`).join(', ');
    const { rows } = await tx.query<Record<string, unknown> & { n: string; at: Date | string }>(
      `SELECT d.n, s.at, ${metrics} FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[])
           WITH ORDINALITY AS d(${columns.join(', ')}, block, until, n)
         JOIN ${table} s ON ${sameKey} AND s.at >= d.block AND s.at < coalesce(d.until, 'infinity')`,
      [...columns.map((_, index) => full.map(({ write }) => write.keys[index])), full.map(({ block }) => block.id), full.map(({ block }) => block.until)],
    );
    const pointsOf = full.map((): { at: string; values: Float64Array }[] => []);
    for (const row of rows) pointsOf[Number(row.n) - 1].push({ at: instantOf(row.at), values: this.valuesOf(row) });
    const moves: { keys: string[]; block: Block }[] = [];
    full.forEach(({ write, block }, f) => {
      const points = pointsOf[f].sort((a, b) => compare(a.at, b.at));
      const cuts = this.cut(block, points.length, (i) => points[i].at, (i, m) => points[i].values[m]);
      write.blocks.push(...cuts);
      for (const cut of cuts) moves.push({ keys: write.keys, block: cut });
    });
    const sameMove = columns.map((column) => `s.${column} = u.${column}`).join(' AND ');
    await tx.query(
      `UPDATE ${table} AS s SET block = u.block
         FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[]) AS u(${columns.join(', ')}, block, until)
        WHERE ${sameMove} AND s.at >= u.block AND s.at < coalesce(u.until, 'infinity')`,
      [...columns.map((_, index) => moves.map(({ keys }) => keys[index])), moves.map(({ block }) => block.id), moves.map(({ block }) => block.until)],
    );
  }

  /**
   * Cuts a block of `count` points (in time order: the i-th one's instant and stored values) into blocks of
   * blockSize points after the first blockSize, which stay in it: returns the new blocks, with the same base and
   * their ranges from the points.
   */
  private cut(block: Block, count: number, at: (i: number) => string, value: (i: number, m: number) => number): Block[] {
    const rangeOf = (first: number) => {
      const end = Math.min(count, first + this.blockSize);
      const min = new Float64Array(this.metricNames.length).fill(Infinity);
      const max = new Float64Array(this.metricNames.length).fill(-Infinity);
      for (let i = first; i < end; i++) {
        for (let m = 0; m < min.length; m++) {
          const v = value(i, m);
          if (v < min[m]) min[m] = v;
          if (v > max[m]) max[m] = v;
        }
      }
      return { points: end - first, min, max };
    };
    const cuts: Block[] = [];
    for (let first = this.blockSize; first < count; first += this.blockSize) {
      const { points, min, max } = rangeOf(first);
      cuts.push({ ...this.block(at(first), block.base, points, min, max), oldBase: block.base });
    }
    cuts.forEach((cut, c) => (cut.until = cuts[c + 1]?.id ?? block.until));
    Object.assign(block, rangeOf(0), { until: cuts[0].id, dirty: true, recount: false });
    return cuts;
  }

  /**
   * Upserts the dirty blocks and, in the same statement (one round trip less per back-dated command), moves the
   * bases of the gaps' blocks (a float sum this close to zero is drift: zero). The statement's snapshot is from
   * before it, so that UPDATE sees neither the blocks a split adds (they lie in a gap) nor the ones upserted
   * (never in a gap): no row is written twice.
   */
  private async writeBlocks(tx: SqlQueryable, table: string, writes: KeyWrite[], gaps: Gap[]): Promise<void> {
    const dirty = writes.flatMap(({ keys, blocks }) => blocks.filter((block) => block.dirty).map((block) => ({ keys, block })));
    if (dirty.length === 0 && gaps.length === 0) return;
    const keyColumns = this.keyColumns;
    await tx.query(
      this.text(`blocks ${table} ${gaps.length > 0}`, () => this.blocksText(table, gaps.length > 0)),
      [
        ...keyColumns.map((_, index) => dirty.map(({ keys }) => keys[index])),
        dirty.map(({ block }) => block.id),
        dirty.map(({ block }) => block.points),
        ...this.metricNames.map((_, m) => dirty.map(({ block }) => block.base[m])),
        ...this.metricNames.flatMap((_, m) => [dirty.map(({ block }) => (block.min as Float64Array)[m]), dirty.map(({ block }) => (block.max as Float64Array)[m])]),
        ...(gaps.length === 0
          ? []
          : [
              ...keyColumns.map((_, index) => gaps.map(({ keys }) => keys[index])),
              gaps.map(({ after }) => after),
              gaps.map(({ before }) => before),
              ...this.metricNames.map((_, m) => gaps.map(({ shift }) => shift[m])),
            ]),
      ],
    );
  }

  /** The upsert's text for `table` (writeBlocks), with the gaps' shift when `shifting`. */
  private blocksText(table: string, shifting: boolean): string {
    const columns = [...this.keyColumns, 'block', 'points', ...this.metricNames, ...this.rangeColumns()];
    const metricTypes = this.metricNames.map((metric) => this.metrics[metric]);
    const types = [...this.keyColumns.map(() => 'text'), 'timestamptz', 'int', ...metricTypes, ...metricTypes.flatMap((type) => [type, type])];
    const keyColumns = this.keyColumns;
    const n = types.length + keyColumns.length;
    const sum = (metric: string, m: number) => (this.floats[m] ? `CASE WHEN abs(b.${metric} + g.${metric}) < ${DRIFT} THEN 0 ELSE b.${metric} + g.${metric} END` : `b.${metric} + g.${metric}`);
    const shift = `UPDATE ${table} AS b SET ${this.metricNames.map((metric, m) => `${metric} = ${sum(metric, m)}`).join(', ')}
         FROM unnest(${keyColumns.map((_, index) => `$${types.length + index + 1}::text[]`).join(', ')}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[], ${this.metricNames.map((metric, m) => `$${n + 3 + m}::${this.metrics[metric]}[]`).join(', ')})
           AS g(${[...keyColumns, 'after_at', 'before_at', ...this.metricNames].join(', ')})
        WHERE ${keyColumns.map((column) => `b.${column} = g.${column}`).join(' AND ')} AND b.block > g.after_at AND b.block < coalesce(g.before_at, 'infinity')`;
    return `${shifting ? `WITH shifted AS (${shift}) ` : ''}INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((type, index) => `$${index + 1}::${type}[]`).join(', ')})
         ON CONFLICT (${[...keyColumns, 'block'].join(', ')}) DO UPDATE SET
           ${columns.slice(keyColumns.length + 1).map((column) => `${column} = excluded.${column}`).join(', ')}`;
  }

  /** The ranges of the blocks `settleRange` could not work out, from their points (found by their span of time: the key's index). */
  private async recount(tx: SqlQueryable, t: TableNames, writes: KeyWrite[]): Promise<void> {
    const blocks = writes.flatMap(({ keys, blocks }) => blocks.filter((block) => block.recount).map((block) => ({ keys, block })));
    if (blocks.length === 0) return;
    const columns = this.keyColumns;
    const n = columns.length;
    const sameKey = [...columns, 'block'].map((column) => `p.${column} = d.${column}`).join(' AND ');
    const ranges = this.metricNames.flatMap((metric) => [`min(p.${metric}) AS ${metric}_min`, `max(p.${metric}) AS ${metric}_max`]);
    await tx.query(
      `UPDATE ${t(this.blockTable)} AS b SET ${this.rangeColumns().map((column) => `${column} = r.${column}`).join(', ')}
         FROM (SELECT ${columns.map((column) => `d.${column}`).join(', ')}, d.block, ${ranges.join(', ')}
                 FROM unnest(${this.textParams()}, $${n + 1}::timestamptz[], $${n + 2}::timestamptz[]) AS d(${columns.join(', ')}, block, until)
                 JOIN ${t(this.pointTable)} p ON ${sameKey} AND p.at >= d.block AND p.at < coalesce(d.until, 'infinity')
                GROUP BY ${[...columns, 'block'].map((column) => `d.${column}`).join(', ')}) r
        WHERE ${[...columns, 'block'].map((column) => `b.${column} = r.${column}`).join(' AND ')}`,
      [...columns.map((_, index) => blocks.map(({ keys }) => keys[index])), blocks.map(({ block }) => block.id), blocks.map(({ block }) => block.until)],
    );
  }

  /**
   * Per request, the key's blocks from the one in force at `since` (every block when null) on, in time order,
   * with the bounds of their points' values; `merged`: all of them as one span (summed up by the server).
   * The first span starts at `since` and bounds only the points from there on: the server works them out
   * from the points (one index range of a block), so a block's points before `since` (a key's early history
   * in its first block) widen no bounds. A key with no point from `since` on has no span.
   */
  async readSpans(q: SqlQueryable, t: TableNames, requests: ReadonlyArray<{ keys: string[]; since: string | null }>, { merged = false } = {}): Promise<BlockSpan[][]> {
    return (await this.readSpansAndEnds(q, t, requests, { merged, ends: false })).spans;
  }

  /**
   * `readSpans`, and with `ends` also per request, in the same statement (a reader that needs no more pays
   * one round trip): the values in force just before `since` (null: none, or `since` null) and the key's first
   * point from `since` on (null: none), absolute values in metric order.
   */
  async readSpansAndEnds(
    q: SqlQueryable,
    t: TableNames,
    requests: ReadonlyArray<{ keys: string[]; since: string | null }>,
    { merged, ends }: { merged: boolean; ends: boolean },
  ): Promise<{ spans: BlockSpan[][]; before: Array<Float64Array | null>; first: Array<{ at: string; values: Float64Array } | null> }> {
    const spans = requests.map((): BlockSpan[] => []);
    const before = requests.map((): Float64Array | null => null);
    const first = requests.map((): { at: string; values: Float64Array } | null => null);
    if (requests.length === 0) return { spans, before, first };
    const columns = this.keyColumns;
    const { rows } = await q.query<Record<string, unknown>>(
      this.text(`spans ${t(this.table)} ${t(this.blockTable)} ${t(this.pointTable)} ${merged} ${ends}`, () => this.spansText(t, merged, ends)),
      [...columns.map((_, index) => requests.map(({ keys }) => keys[index])), requests.map(({ since }) => since)],
    );
    for (const row of rows) {
      const r = Number(row.n) - 1;
      if (row.kind === 'before') before[r] = this.valuesOf(row, '_min');
      else if (row.kind === 'first') first[r] = { at: instantOf(row.block), values: this.valuesOf(row, '_min') };
      else spans[r].push({ from: instantOf(row.block), until: null, min: this.valuesOf(row, '_min'), max: this.valuesOf(row, '_max') });
    }
    for (const list of spans) {
      list.sort((a, b) => compare(a.from, b.from));
      list.forEach((span, s) => (span.until = list[s + 1]?.from ?? null));
    }
    return { spans, before, first };
  }

  /** The text of readSpansAndEnds. */
  private spansText(t: TableNames, merged: boolean, ends: boolean): string {
    const columns = this.keyColumns;
    const blocks = t(this.blockTable);
    const sameKey = (alias: string) => columns.map((column) => `${alias}.${column} = d.${column}`).join(' AND ');
    const since = `coalesce(d.since, '-infinity')`;
    const metrics = this.metricNames;
    const firstBounds = metrics.map((metric) => `f.${metric} + p.${metric}_min AS ${metric}_min, f.${metric} + p.${metric}_max AS ${metric}_max`);
    const later = metrics.map((metric) => `s.${metric} + s.${metric}_min AS ${metric}_min, s.${metric} + s.${metric}_max AS ${metric}_max`);
    const select = merged
      ? `min(b.block) AS block, ${metrics.map((metric) => `min(b.${metric}_min) AS ${metric}_min, max(b.${metric}_max) AS ${metric}_max`).join(', ')}`
      : 'b.*';
    const requested = `unnest(${this.textParams()}, $${columns.length + 1}::timestamptz[]) WITH ORDINALITY AS d(${columns.join(', ')}, since, n)`;
    // The ends as rows of the spans' shape: a point's values as both bounds, its instant as the block.
    const point = metrics.map((metric) => `v.${metric} AS ${metric}_min, v.${metric} AS ${metric}_max`).join(', ');
    const endRows = `
       UNION ALL
       SELECT e.kind, e.n, e.block, ${metrics.map((metric) => `e.${metric}_min, e.${metric}_max`).join(', ')} FROM ${requested}
         CROSS JOIN LATERAL (
           (SELECT 'before' AS kind, d.n, v.at AS block, ${point} FROM ${t(this.table)} v WHERE ${sameKey('v')} AND v.at < d.since ORDER BY v.at DESC LIMIT 1)
           UNION ALL
           (SELECT 'first', d.n, v.at, ${point} FROM ${t(this.table)} v WHERE ${sameKey('v')} AND v.at >= ${since} ORDER BY v.at LIMIT 1)
         ) e`;
    return `SELECT 'span' AS kind, d.n, ${select} FROM ${requested}
         CROSS JOIN LATERAL (
           (SELECT greatest(f.block, d.since) AS block, ${firstBounds.join(', ')}
              FROM (SELECT s.* FROM ${blocks} s WHERE ${sameKey('s')} AND s.block <= ${since} ORDER BY s.block DESC LIMIT 1) f
              CROSS JOIN LATERAL (
                SELECT count(*) AS points, ${metrics.map((metric) => `min(p.${metric}) AS ${metric}_min, max(p.${metric}) AS ${metric}_max`).join(', ')}
                  FROM ${t(this.pointTable)} p WHERE ${sameKey('p')} AND p.at >= ${since}
                   AND p.at < coalesce((SELECT min(s.block) FROM ${blocks} s WHERE ${sameKey('s')} AND s.block > ${since}), 'infinity')
              ) p
             WHERE p.points > 0)
           UNION ALL
           (SELECT s.block, ${later.join(', ')} FROM ${blocks} s WHERE ${sameKey('s')} AND s.block > ${since})
         ) b${merged ? ' GROUP BY d.n' : ''}${ends ? endRows : ''}`;
  }

  /** The columns of the blocks' ranges: each metric's least and greatest stored value. */
  private rangeColumns(): string[] {
    return this.metricNames.flatMap((metric) => [`${metric}_min`, `${metric}_max`]);
  }
  /** Column arrays of points to write (with their blocks for inserts). */
  private columns(withBlock: boolean): Columns {
    const keys = this.keyColumns.map((): string[] => []);
    const at: string[] = [];
    const block: string[] = [];
    const metrics = this.metricNames.map((): number[] => []);
    return {
      keys,
      at,
      block: withBlock ? block : null,
      metrics,
      push(pointKeys, pointAt, pointBlock, values) {
        pointKeys.forEach((key, index) => keys[index].push(key));
        at.push(pointAt);
        if (withBlock) block.push(pointBlock);
        values.forEach((value, index) => metrics[index].push(value));
      },
    };
  }

  private async insert(tx: SqlQueryable, table: string, points: Columns): Promise<void> {
    if (points.at.length === 0) return;
    const columns = Object.fromEntries([
      ...this.keyColumns.map((column) => [column, 'text']),
      ['at', 'timestamptz'],
      ['block', 'timestamptz'],
      ...this.metricNames.map((metric) => [metric, this.metrics[metric]]),
    ]);
    await tx.insertColumns(table, columns, [...points.keys, points.at, points.block as string[], ...points.metrics]);
  }

  private async update(tx: SqlQueryable, table: string, points: Columns): Promise<void> {
    if (points.at.length === 0) return;
    const columns = [...this.keyColumns, 'at', ...this.metricNames];
    const types = [...this.keyColumns.map(() => 'text'), 'timestamptz', ...this.metricNames.map((metric) => this.metrics[metric])];
    await tx.query(
      `UPDATE ${table} AS s SET ${this.metricNames.map((metric) => `${metric} = u.${metric}`).join(', ')}
         FROM unnest(${types.map((type, index) => `$${index + 1}::${type}[]`).join(', ')}) AS u(${columns.join(', ')})
        WHERE ${[...this.keyColumns, 'at'].map((column) => `s.${column} = u.${column}`).join(' AND ')}`,
      [...points.keys, points.at, ...points.metrics],
    );
  }

  /** Values in metric order as a row of the view's columns. */
  rowOf(values: Float64Array): Record<M, number> {
    const row = {} as Record<M, number>;
    for (let m = 0; m < this.metricNames.length; m++) row[this.metricNames[m]] = values[m];
    return row;
  }

  /** `$n::text[]` for the keys. */
  private textParams(): string {
    return this.keyColumns.map((_, index) => `$${index + 1}::text[]`).join(', ');
  }

  /**
   * The text of a statement of shape `key` (with its table names in it), built once: the write path's texts were
   * built from the columns on every call, and the SQL client then hashed and compared every new copy to find its
   * prepared name.
   */
  private text(key: string, build: () => string): string {
    let text = this.texts.get(key);
    if (text === undefined) {
      if (this.texts.size >= MAX_TEXTS) this.texts.clear();
      this.texts.set(key, (text = build()));
    }
    return text;
  }

  private valuesOf(row: Record<string, unknown>, suffix: '' | '_min' | '_max' = ''): Float64Array {
    const columns = this.columnsOf[suffix];
    const values = new Float64Array(columns.length);
    for (let m = 0; m < columns.length; m++) values[m] = row[columns[m]] as number;
    return values;
  }

  /** A float metric's value with the drift of adding and subtracting the same amounts taken out. */
  private clean(m: number, value: number): number {
    return this.floats[m] && Math.abs(value) < DRIFT ? 0 : value;
  }
}

interface Columns {
  keys: string[][];
  at: string[];
  block: string[] | null;
  metrics: number[][];
  push(keys: string[], at: string, block: string, values: Float64Array): void;
}

function add(sum: Float64Array, delta: Float64Array): void {
  for (let m = 0; m < sum.length; m++) sum[m] += delta[m];
}

function lower(min: Float64Array, values: Float64Array): void {
  for (let m = 0; m < min.length; m++) if (values[m] < min[m]) min[m] = values[m];
}

function raise(max: Float64Array, values: Float64Array): void {
  for (let m = 0; m < max.length; m++) if (values[m] > max[m]) max[m] = values[m];
}

/** An instant read from the database as ISO (with ms and Z); -infinity (a first block) as FIRST. */
function instantOf(value: unknown): string {
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isFinite(date.getTime()) ? date.toISOString() : FIRST;
}

/**
 * One spelling per instant (ms and Z): instants are compared and matched as strings. Stored
 * instants nearly always have it already, and re-formatting each one costs a rebuild seconds.
 */
function canonicalInstant(at: string): string {
  const canonical = at.length === 24 && at[23] === 'Z' && at[19] === '.' && at[10] === 'T';
  return canonical ? at : new Date(at).toISOString();
}

/** ISO instants of one format compare as strings ('-infinity' first). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Columns no ANALYZE samples (a statistics target of 0). */
function noStatistics(table: string, columns: readonly string[]): string {
  return `ALTER TABLE ${table} ${columns.map((column) => `ALTER COLUMN ${column} SET STATISTICS 0`).join(', ')}`;
}
