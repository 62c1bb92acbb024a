import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { INVENTORY_TABLES as T } from './inventory.projection';
import { POP_COLUMNS, PopRow, toPop } from './pop-row.reader';
import { Pop } from './pop.types';

/** A PoP with its status at `asOf`; null for a PoP that was never registered. */
export class GetPopQuery extends Query<Pop | null> {
  constructor(
    readonly popId: string,
    readonly asOf: string,
  ) {
    super();
  }
}

@QueryHandler(GetPopQuery)
export class GetPopHandler implements IQueryHandler<GetPopQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ popId, asOf }: GetPopQuery): Promise<Pop | null> {
    const { rows } = await this.sql.query<PopRow>(`SELECT ${POP_COLUMNS} FROM ${T.pop} p WHERE p.pop_id = $2`, [asOf, popId]);
    return rows.length > 0 ? toPop(rows[0]) : null;
  }
}
