import { SqlQueryable } from '../database/sql-client';
import { TableNames } from '../projections/projection';

/**
 * A table of step functions over effective time: per key (e.g. a PoP), rows (key, at, values) hold
 * the values in force from `at` until the key's next row, so the values at t are one index probe
 * (the last row at or before t). Writers add deltas at instants; a batch's deltas are applied in
 * two statements: missing points are inserted with the values in force there, then every point at
 * or after a key's earliest delta gets the running sum of the deltas up to it. A back-dated delta
 * thus corrects all later points; one near the end touches only a few.
 */

export type MetricType = 'int' | 'float8';

/** Sums of floats this close to zero are drift from adding and subtracting the same values. */
const DRIFT = 1e-9;

interface Delta<M extends string> {
  keys: string[];
  at: string;
  values: Partial<Record<M, number>>;
}

export class StepTable<M extends string> {
  private readonly deltas = new Map<string, Delta<M>>();
  private readonly metricNames: M[];

  constructor(
    readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly metrics: Readonly<Record<M, MetricType>>,
  ) {
    this.metricNames = Object.keys(metrics) as M[];
  }

  createTable(t: TableNames): string {
    const keys = this.keyColumns.map((column) => `${column} text COLLATE "C" NOT NULL`);
    const metrics = this.metricNames.map((metric) => `${metric} ${this.metrics[metric]} NOT NULL`);
    return `CREATE TABLE ${t(this.table)} (${[...keys, 'at timestamptz NOT NULL', ...metrics].join(', ')}, PRIMARY KEY (${[...this.keyColumns, 'at'].join(', ')}))`;
  }

  /** Adds `delta` to the values from `at` on; an absent `at` (an open end) adds nothing. */
  add(keys: string[], at: string | null, delta: Partial<Record<M, number>>): void {
    if (at === null) return;
    const id = `${keys.join('\u0000')}\u0000${at}`;
    const entry = this.deltas.get(id);
    if (!entry) {
      this.deltas.set(id, { keys, at, values: { ...delta } });
      return;
    }
    for (const metric in delta) entry.values[metric] = (entry.values[metric] ?? 0) + (delta[metric] as number);
  }

  /**
   * Applies the deltas. `returning` lists what to return of each changed point: `s` is the point
   * after the change, `o` before it, and `extraJoin` may join more tables to them.
   */
  async write<R>(tx: SqlQueryable, t: TableNames, returning?: { columns: string; extraJoin?: string }): Promise<R[]> {
    if (this.deltas.size === 0) return [];
    const deltas = [...this.deltas.values()];
    const table = t(this.table);
    const keys = this.keyColumns;
    const keyArrays = keys.map((_, index) => deltas.map((delta) => delta.keys[index]));
    const keyParams = keys.map((_, index) => `$${index + 1}::text[]`);
    const atParam = `$${keys.length + 1}::timestamptz[]`;
    const sameKey = (a: string, b: string) => keys.map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');
    const metrics = this.metricNames;

    await tx.query(
      `INSERT INTO ${table} (${[...keys, 'at', ...metrics].join(', ')})
       SELECT ${keys.map((column) => `d.${column}`).join(', ')}, d.at, ${metrics.map((metric) => `coalesce(p.${metric}, 0)`).join(', ')}
         FROM unnest(${keyParams.join(', ')}, ${atParam}) AS d(${keys.join(', ')}, at)
         LEFT JOIN LATERAL (
           SELECT ${metrics.join(', ')} FROM ${table} s WHERE ${sameKey('s', 'd')} AND s.at < d.at ORDER BY s.at DESC LIMIT 1
         ) p ON true
       ON CONFLICT DO NOTHING`,
      [...keyArrays, deltas.map((delta) => delta.at)],
    );

    const metricParams = metrics.map((metric, index) => `$${keys.length + 2 + index}::${this.metrics[metric]}[]`);
    const snap = (metric: M, value: string) => (this.metrics[metric] === 'float8' ? `CASE WHEN abs(${value}) < ${DRIFT} THEN 0 ELSE ${value} END` : value);
    const { rows } = await tx.query<R>(
      `WITH d AS (
         SELECT * FROM unnest(${[...keyParams, atParam, ...metricParams].join(', ')}) AS d(${[...keys, 'at', ...metrics].join(', ')})),
       since AS (SELECT ${keys.join(', ')}, min(at) AS at FROM d GROUP BY ${keys.join(', ')}),
       x AS (
         SELECT ${keys.join(', ')}, at, is_point, ${metrics.map((metric) => `sum(${metric}) OVER w AS ${metric}`).join(', ')}
           FROM (SELECT ${keys.join(', ')}, at, false AS is_point, ${metrics.join(', ')} FROM d
                 UNION ALL
                 SELECT ${keys.map((column) => `s.${column}`).join(', ')}, s.at, true, ${metrics.map(() => '0').join(', ')}
                   FROM ${table} s JOIN since ON ${sameKey('s', 'since')} AND s.at >= since.at) u
         WINDOW w AS (PARTITION BY ${keys.join(', ')} ORDER BY at, is_point ROWS UNBOUNDED PRECEDING))
       UPDATE ${table} AS s SET ${metrics.map((metric) => `${metric} = ${snap(metric, `s.${metric} + x.${metric}`)}`).join(', ')}
         FROM x JOIN ${table} AS o ON ${sameKey('o', 'x')} AND o.at = x.at ${returning?.extraJoin ?? ''}
        WHERE x.is_point AND ${sameKey('s', 'x')} AND s.at = x.at
       ${returning ? `RETURNING ${returning.columns}` : ''}`,
      [...keyArrays, deltas.map((delta) => delta.at), ...metrics.map((metric) => deltas.map((delta) => delta.values[metric] ?? 0))],
    );
    return rows;
  }
}
