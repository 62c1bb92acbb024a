import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { presentAt } from './capacity.reader';
import { INVENTORY_TABLES as T } from './inventory.projection';
import type { DeviceRole } from '../domain/pop.enums';
import { RackElevation } from './rack-elevation.svg';

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

/** The rack (its columns null when the PoP has no such rack) once per device present, or once with no device. */
interface ElevationRow {
  pop_exists: boolean;
  rack_name: string | null;
  rack_height_u: number | null;
  valid_from: Date | string | null;
  valid_to: Date | string | null;
  device_id: string | null;
  name: string | null;
  role: DeviceRole;
  position_u: number;
  height_u: number;
}

@QueryHandler(GetRackElevationQuery)
export class GetRackElevationHandler implements IQueryHandler<GetRackElevationQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ popId, rackId, asOf }: GetRackElevationQuery): Promise<RackElevationRead> {
    // Plain rows rather than json_agg of the devices: building JSON costs PGlite more than the whole read.
    const { rows } = await this.sql.query<ElevationRow>(
      `SELECT EXISTS (SELECT 1 FROM ${T.pop} p WHERE p.pop_id = $2) AS pop_exists,
              r.name AS rack_name, r.height_u AS rack_height_u, r.valid_from, r.valid_to,
              d.device_id, d.name, d.role, d.position_u, d.height_u
         FROM (SELECT 1) AS one
         LEFT JOIN ${T.rack} r ON r.pop_id = $2 AND r.rack_id = $3
         LEFT JOIN ${T.device} d ON d.pop_id = $2 AND d.rack_id = $3 AND ${presentAt('d')}
        ORDER BY d.position_u`,
      [asOf, popId, rackId],
    );
    const [rack] = rows;
    if (!rack.pop_exists) return { found: false, missing: 'pop' };
    if (rack.rack_height_u === null || rack.valid_from === null) return { found: false, missing: 'rack' };
    const at = Date.parse(asOf);
    const [validFrom, validTo] = [new Date(rack.valid_from), rack.valid_to === null ? null : new Date(rack.valid_to)];
    if (at < validFrom.getTime() || (validTo !== null && at >= validTo.getTime())) {
      return { found: false, missing: 'at-instant', presentFrom: validFrom.toISOString(), presentUntil: validTo?.toISOString() ?? null };
    }
    const devices = rows
      .filter((row) => row.device_id !== null)
      .map((row) => ({ deviceId: row.device_id as string, name: row.name, role: row.role, positionU: row.position_u, heightU: row.height_u }));
    return { found: true, rack: { popId, rackId, rackName: rack.rack_name, heightU: rack.rack_height_u, asOf, devices } };
  }
}
