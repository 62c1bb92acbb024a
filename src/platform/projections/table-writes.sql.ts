import { insertByUnnest } from '../database/column-inserts.sql';
import { SqlColumnTypes, SqlQueryable } from '../database/sql-client.port';
import { TableNames } from './projection.port';

/** Multi-row writes of a projection batch: one statement per table, whatever the number of rows. */

/** Rows to insert into one table, column by column (the arrays an `unnest` takes). */
export class Inserts {
  protected readonly values: unknown[][];

  constructor(
    private readonly table: string,
    private readonly columns: SqlColumnTypes,
  ) {
    this.values = Object.keys(columns).map(() => []);
  }

  get size(): number {
    return this.values[0].length;
  }

  add(...row: unknown[]): void {
    row.forEach((value, index) => this.values[index].push(value));
  }

  async write(tx: SqlQueryable, t: TableNames, conflict = ''): Promise<void> {
    if (this.size === 0) return;
    await (conflict ? insertByUnnest(tx, t(this.table), this.columns, this.values, conflict) : tx.insertColumns(t(this.table), this.columns, this.values));
  }
}

/**
 * Inserts of items whose last column is `valid_to`: an item added and removed in the same batch
 * (common in a rebuild) is inserted with its end, so it needs no UPDATE.
 */
export class ItemInserts<T> extends Inserts {
  private readonly added = new Map<string, { row: number; item: T }>();

  /** `row` without its valid_to (open); `item` is what `end` gives back. */
  addItem(key: string, item: T, ...row: unknown[]): void {
    this.added.set(key, { row: this.size, item });
    this.add(...row, null);
  }

  /** Ends an item added in this batch and returns it; undefined when it was added before. */
  end(key: string, at: string): T | undefined {
    const added = this.added.get(key);
    if (added) this.values[this.values.length - 1][added.row] = at;
    return added?.item;
  }
}

/**
 * Ends of items (their removal instants) in one table keyed by (pop_id, <id>). Last one per item
 * wins, so that one UPDATE ... FROM never matches a row twice; written after the batch's inserts, it
 * finds an item added in the same batch. Returns `returning` of each ended row, where `r` is the
 * row after the update and, when `old` is set, `o` the row before it (one more index probe per row).
 */
export class Ends<R> {
  private readonly ends = new Map<string, [string, string, string]>();

  constructor(
    private readonly table: string,
    private readonly idColumn: string,
    private readonly returning: string,
    private readonly options: { old?: boolean; set?: string } = {},
  ) {}

  add(popId: string, id: string, at: string): void {
    this.ends.set(`${popId}\u0000${id}`, [popId, id, at]);
  }

  async write(tx: SqlQueryable, t: TableNames): Promise<R[]> {
    if (this.ends.size === 0) return [];
    const rows = [...this.ends.values()];
    const table = t(this.table);
    const old = this.options.old ? `JOIN ${table} AS o ON o.pop_id = u.pop_id AND o.${this.idColumn} = u.id` : '';
    const { rows: ended } = await tx.query<R>(
      `UPDATE ${table} AS r SET ${this.options.set ?? 'valid_to = u.at'}
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(pop_id, id, at) ${old}
        WHERE r.pop_id = u.pop_id AND r.${this.idColumn} = u.id
       RETURNING ${this.returning}`,
      [rows.map((row) => row[0]), rows.map((row) => row[1]), rows.map((row) => row[2])],
    );
    return ended;
  }
}
