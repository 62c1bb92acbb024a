import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { presentAt } from './capacity.reader';
import { INVENTORY_TABLES as T } from './inventory.projection';
import { ElevationDevice, RackElevation } from './rack-elevation.svg';

/**
 * What a rack elevation shows, read from the inventory read model in one statement: the rack and the
 * devices present at `asOf`. When there is nothing to draw, which of the three reasons it is: no such
 * PoP, no such rack in it, or the rack is not installed at that instant (with the interval it is).
 */
export type RackElevationRead =
  | { found: true; rack: RackElevation }
  | { found: false; missing: 'pop' | 'rack' }
  | { found: false; missing: 'at-instant'; presentFrom: string; presentUntil: string | null };

export class GetRackElevationQuery extends Query<RackElevationRead> {
  constructor(
    readonly popId: string,
    readonly rackId: string,
    readonly asOf: string,
  ) {
    super();
  }
}

interface ElevationRow {
  pop_exists: boolean;
  name: string | null;
  height_u: number | null;
  valid_from: Date | string | null;
  valid_to: Date | string | null;
  devices: ElevationDevice[] | null;
}

@QueryHandler(GetRackElevationQuery)
export class GetRackElevationHandler implements IQueryHandler<GetRackElevationQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ popId, rackId, asOf }: GetRackElevationQuery): Promise<RackElevationRead> {
    const { rows } = await this.sql.query<ElevationRow>(
      `SELECT EXISTS (SELECT 1 FROM ${T.pop} p WHERE p.pop_id = $2) AS pop_exists, r.name, r.height_u, r.valid_from, r.valid_to,
              (SELECT json_agg(json_build_object('deviceId', d.device_id, 'name', d.name, 'role', d.role,
                                                 'positionU', d.position_u, 'heightU', d.height_u) ORDER BY d.position_u)
                 FROM ${T.device} d WHERE d.pop_id = $2 AND d.rack_id = $3 AND ${presentAt('d')}) AS devices
         FROM (SELECT 1) AS one
         LEFT JOIN ${T.rack} r ON r.pop_id = $2 AND r.rack_id = $3`,
      [asOf, popId, rackId],
    );
    const row = rows[0];
    if (!row.pop_exists) return { found: false, missing: 'pop' };
    if (row.height_u === null || row.valid_from === null) return { found: false, missing: 'rack' };
    const at = Date.parse(asOf);
    const [validFrom, validTo] = [new Date(row.valid_from), row.valid_to === null ? null : new Date(row.valid_to)];
    if (at < validFrom.getTime() || (validTo !== null && at >= validTo.getTime())) {
      return { found: false, missing: 'at-instant', presentFrom: validFrom.toISOString(), presentUntil: validTo?.toISOString() ?? null };
    }
    return { found: true, rack: { popId, rackId, rackName: row.name, heightU: row.height_u, asOf, devices: row.devices ?? [] } };
  }
}
