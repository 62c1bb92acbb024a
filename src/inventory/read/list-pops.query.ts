import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { PopKind, PopStatus } from '../domain/pop.enums';
import { encodeCursor } from '../../platform/api/relay.types';
import { nonEmpty, PopFilter } from './capacity.reader';
import { INVENTORY_TABLES as T } from './inventory.projection';
import { POP_COLUMNS, PopRow, toPop } from './pop-row.reader';
import { PopConnection } from './pop.types';

/** `pops` filters (docs/api.md, "GraphQL overview"); an absent or empty list does not filter. */
export interface PopListFilter {
  countryCodes?: string[] | null;
  regions?: string[] | null;
  /** Status at asOf. */
  statuses?: PopStatus[] | null;
  kinds?: PopKind[] | null;
  /** Case-insensitive substring of code, name or city. */
  search?: string | null;
}

/** Where a page starts: after this PoP in (code, popId) order. */
export interface PopCursor {
  code: string;
  popId: string;
}

/** A Relay page of PoPs ordered by code then popId (both in code-point order). */
export class ListPopsQuery extends Query<PopConnection> {
  constructor(
    readonly filter: PopListFilter,
    readonly first: number,
    readonly after: PopCursor | null,
    readonly asOf: string,
  ) {
    super();
  }
}

export function encodePopCursor({ code, popId }: PopCursor): string {
  return encodeCursor(JSON.stringify([code, popId]));
}

/** The cursor's key, or null when `decoded` is not one this API made. */
export function parsePopCursor(decoded: string): PopCursor | null {
  try {
    const key: unknown = JSON.parse(decoded);
    return Array.isArray(key) && key.length === 2 && key.every((part) => typeof part === 'string') ? { code: key[0], popId: key[1] } : null;
  } catch {
    return null;
  }
}

/** Keyset pagination on the (code, pop_id) index, and the count, in one statement. */
@QueryHandler(ListPopsQuery)
export class ListPopsHandler implements IQueryHandler<ListPopsQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ filter, first, after, asOf }: ListPopsQuery): Promise<PopConnection> {
    const where = filtered(filter, asOf);
    const matching = where.on('p');
    const keyset = after ? `AND (p.code, p.pop_id) > (${where.param(after.code)}, ${where.param(after.popId)})` : '';
    // The count's row joined to the page: an empty page gives one row whose PoP columns are NULL.
    const { rows } = await this.sql.query<{ total: number } & (PopRow | { [K in keyof PopRow]: null })>(
      `SELECT c.total, x.*
         FROM (SELECT count(*)::int AS total FROM ${T.pop} p WHERE ${matching}) c
         LEFT JOIN LATERAL (
           SELECT ${POP_COLUMNS} FROM ${T.pop} p WHERE ${matching} ${keyset} ORDER BY p.code, p.pop_id LIMIT ${where.param(first + 1)}::int
         ) x ON true
        ORDER BY x.code, x.pop_id`,
      where.params,
    );
    const pops = rows.filter((row): row is { total: number } & PopRow => row.pop_id !== null);
    const edges = pops.slice(0, first).map((row) => ({ cursor: encodePopCursor({ code: row.code, popId: row.pop_id }), node: toPop(row) }));
    const endCursor = edges.length > 0 ? edges[edges.length - 1].cursor : after ? encodePopCursor(after) : null;
    return { edges, pageInfo: { hasNextPage: pops.length > first, endCursor }, totalCount: rows[0].total };
  }
}

function filtered(filter: PopListFilter, asOf: string): PopFilter {
  const where = new PopFilter(asOf).select({ countryCodes: nonEmpty(filter.countryCodes), regions: nonEmpty(filter.regions), statuses: nonEmpty(filter.statuses) });
  const kinds = nonEmpty(filter.kinds);
  if (kinds) where.where(`p.kind = ANY(${where.param(kinds)}::text[])`);
  if (filter.search) {
    const pattern = where.param(`%${filter.search.replace(/[\\%_]/g, '\\$&')}%`);
    where.where(`(p.code ILIKE ${pattern} OR p.name ILIKE ${pattern} OR p.city ILIKE ${pattern})`);
  }
  return where;
}
