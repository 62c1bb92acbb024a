import { SqlQueryable } from '../database/sql-client.port';
import { TableNames } from './projection.port';

/**
 * A table of step functions over effective time: per key (e.g. a PoP), rows (key, at, values) hold
 * the values in force from `at` until the key's next row, so the values at t are one index probe
 * (the last row at or before t). A batch's deltas are applied with index-driven statements: read,
 * per key, the point in force just before its earliest delta and every point after it; add the
 * running sum of the deltas to each (new points start from the values in force there); insert the
 * new points and update the others. A back-dated delta thus corrects all later points; one near
 * the end touches only a few. Values are kept in arrays in metric order (rebuilds write hundreds
 * of thousands of points).
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

interface Point {
  at: string;
  values: Float64Array;
}

export class StepTable<M extends string> {
  readonly metricNames: readonly M[];
  /** Position of each metric in the value arrays. */
  readonly index: Readonly<Record<M, number>>;
  /** Per key, per instant (ISO with ms and Z), the delta. */
  private readonly deltas = new Map<string, { keys: string[]; at: Map<string, Float64Array> }>();
  private readonly floats: boolean[];
  private readonly zero: Float64Array;

  constructor(
    readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly metrics: Readonly<Record<M, MetricType>>,
  ) {
    this.metricNames = Object.keys(metrics) as M[];
    this.index = Object.fromEntries(this.metricNames.map((metric, position) => [metric, position])) as Record<M, number>;
    this.floats = this.metricNames.map((metric) => metrics[metric] === 'float8');
    this.zero = new Float64Array(this.metricNames.length);
  }

  createTable(t: TableNames): string {
    const keys = this.keyColumns.map((column) => `${column} text COLLATE "C" NOT NULL`);
    const metrics = this.metricNames.map((metric) => `${metric} ${this.metrics[metric]} NOT NULL`);
    return `CREATE TABLE ${t(this.table)} (${[...keys, 'at timestamptz NOT NULL', ...metrics].join(', ')}, PRIMARY KEY (${[...this.keyColumns, 'at'].join(', ')}))`;
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

  /** Applies the deltas; with `changes`, returns the changed points per key in time order. */
  async write(tx: SqlQueryable, t: TableNames, { changes = false } = {}): Promise<ChangedPoint[]> {
    if (this.deltas.size === 0) return [];
    const table = t(this.table);
    const entries = [...this.deltas.values()].map(({ keys, at }) => ({ keys, deltas: [...at].sort(([a], [b]) => compare(a, b)) }));
    const existing = await this.readFrom(tx, table, entries.map(({ keys, deltas }) => ({ keys, since: deltas[0][0] })));
    const size = this.metricNames.length;
    // New points are inserted, existing ones updated (in a rebuild nearly all are new).
    const inserts = this.columns();
    const updates = this.columns();
    const changed: ChangedPoint[] = [];
    for (const { keys, deltas } of entries) {
      const points = existing.get(keys.join('\u0000')) ?? [];
      let p = 0;
      // Values in force before the first delta: the point before it (read first), or zero.
      let inForce = this.zero;
      if (points.length > 0 && points[0].at < deltas[0][0]) inForce = points[p++].values;
      const sum = new Float64Array(size);
      let d = 0;
      while (p < points.length || d < deltas.length) {
        const at = d >= deltas.length || (p < points.length && points[p].at <= deltas[d][0]) ? points[p].at : deltas[d][0];
        const exists = p < points.length && points[p].at === at;
        if (exists) inForce = points[p++].values;
        if (d < deltas.length && deltas[d][0] === at) {
          const delta = deltas[d++][1];
          for (let m = 0; m < size; m++) sum[m] += delta[m];
        }
        const after = new Float64Array(size);
        for (let m = 0; m < size; m++) {
          const value = inForce[m] + sum[m];
          after[m] = this.floats[m] && Math.abs(value) < DRIFT ? 0 : value;
        }
        (exists ? updates : inserts).push(keys, at, after);
        if (changes) changed.push({ keys, at, before: inForce, after });
      }
    }
    await this.insert(tx, table, inserts);
    await this.update(tx, table, updates);
    return changed;
  }

  /** Column arrays of points to write. */
  private columns() {
    const keys = this.keyColumns.map((): string[] => []);
    const at: string[] = [];
    const metrics = this.metricNames.map((): number[] => []);
    return {
      keys,
      at,
      metrics,
      push(pointKeys: string[], pointAt: string, values: Float64Array) {
        pointKeys.forEach((key, index) => keys[index].push(key));
        at.push(pointAt);
        values.forEach((value, index) => metrics[index].push(value));
      },
    };
  }

  /** Per key, the point in force just before `since` (if any) and every point from `since` on, in time order. */
  private async readFrom(tx: SqlQueryable, table: string, keys: { keys: string[]; since: string }[]): Promise<Map<string, Point[]>> {
    const columns = this.keyColumns;
    const sameKey = columns.map((column) => `s.${column} = d.${column}`).join(' AND ');
    const metrics = this.metricNames.map((metric) => `s.${metric}`).join(', ');
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT ${columns.map((column) => `d.${column}`).join(', ')}, p.*
         FROM unnest(${columns.map((_, index) => `$${index + 1}::text[]`).join(', ')}, $${columns.length + 1}::timestamptz[]) AS d(${columns.join(', ')}, since)
         CROSS JOIN LATERAL (
           (SELECT s.at, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.at < d.since ORDER BY s.at DESC LIMIT 1)
           UNION ALL
           (SELECT s.at, ${metrics} FROM ${table} s WHERE ${sameKey} AND s.at >= d.since ORDER BY s.at)
         ) p`,
      [...columns.map((_, index) => keys.map((key) => key.keys[index])), keys.map((key) => key.since)],
    );
    const byKey = new Map<string, Point[]>();
    for (const row of rows) {
      const id = columns.map((column) => row[column] as string).join('\u0000');
      const values = Float64Array.from(this.metricNames, (metric) => row[metric] as number);
      const list = byKey.get(id);
      const point = { at: (row.at as Date).toISOString(), values };
      if (list) list.push(point);
      else byKey.set(id, [point]);
    }
    return byKey;
  }

  private async insert(tx: SqlQueryable, table: string, points: ReturnType<StepTable<M>['columns']>): Promise<void> {
    if (points.at.length === 0) return;
    const columns = [...this.keyColumns, 'at', ...this.metricNames];
    await tx.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${this.arrayParams().join(', ')})`,
      [...points.keys, points.at, ...points.metrics],
    );
  }

  private async update(tx: SqlQueryable, table: string, points: ReturnType<StepTable<M>['columns']>): Promise<void> {
    if (points.at.length === 0) return;
    const columns = [...this.keyColumns, 'at', ...this.metricNames];
    await tx.query(
      `UPDATE ${table} AS s SET ${this.metricNames.map((metric) => `${metric} = u.${metric}`).join(', ')}
         FROM unnest(${this.arrayParams().join(', ')}) AS u(${columns.join(', ')})
        WHERE ${[...this.keyColumns, 'at'].map((column) => `s.${column} = u.${column}`).join(' AND ')}`,
      [...points.keys, points.at, ...points.metrics],
    );
  }

  /** `$n::type[]` for the keys, `at` and the metrics, in that order. */
  private arrayParams(): string[] {
    const types = [...this.keyColumns.map(() => 'text'), 'timestamptz', ...this.metricNames.map((metric) => this.metrics[metric])];
    return types.map((type, index) => `$${index + 1}::${type}[]`);
  }
}

/**
 * One spelling per instant (ms and Z): instants are compared and matched as strings. Stored
 * instants nearly always have it already, and re-formatting each one costs a rebuild seconds.
 */
function canonicalInstant(at: string): string {
  const canonical = at.length === 24 && at[23] === 'Z' && at[19] === '.' && at[10] === 'T';
  return canonical ? at : new Date(at).toISOString();
}

/** ISO instants of one format compare as strings. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
