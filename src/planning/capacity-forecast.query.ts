import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SQL_CLIENT, SqlClient } from '../database/sql-client';
import { forecast, UtilizationPoint } from '../domain/capacity/forecast';
import { CapacityRecords, PopCapacityFigures, popCapacityAt } from '../domain/capacity/pop-capacity-at';
import { CapacityResource, CircuitType, FeedSide } from '../domain/pop/pop.enums';
import { store } from '../domain/shared/id-index';
import { DAY_MS, isoOf } from '../domain/shared/time';
import { thresholdsOf } from './get-capacity.query';
import { INVENTORY_TABLES as T } from './inventory.projection';
import { CapacityForecast } from './pop.types';

/** When a PoP's resource runs out at the current trend (DESIGN section 5); null for an unknown PoP. */
export class GetCapacityForecastQuery extends Query<CapacityForecast | null> {
  constructor(
    readonly popId: string,
    readonly resource: CapacityResource,
    /** The present (ISO 8601): the forecast looks at the 365 days before it. */
    readonly now: string,
  ) {
    super();
  }
}

const WINDOW_MS = 365 * DAY_MS;

const UTILIZATION: Record<CapacityResource, (figures: PopCapacityFigures) => number> = {
  SPACE_U: (figures) => figures.space.utilizationPercent,
  POWER_KW: (figures) => figures.power.utilizationPercent,
  BANDWIDTH_MBPS: (figures) => figures.network.utilizationPercent,
};

/** The tables whose rows' bounds are the PoP's change points. */
const ITEM_TABLES = [T.lease, T.rack, T.feed, T.device, T.circuit, T.reservation];

interface ItemRow {
  kind: 'lease' | 'rack' | 'feed' | 'device' | 'circuit' | 'reservation';
  from: string;
  to: string | null;
  id: string | null;
  rack_id: string | null;
  /** Side, circuit type or reserved resource. */
  label: string | null;
  /** Rack or device height in U. */
  height_u: number | null;
  /** Contracted kW, max kW, feed kW, device kW, circuit Mbps or reserved amount. */
  amount: number | null;
}

/**
 * The utilization series is the reference `popCapacityAt` evaluated at each change point (an item
 * starting or ending) over the PoP's records as the read model holds them. Points where the
 * resource's utilization does not change are left out; the last change before the window is
 * kept, which gives the current utilization when nothing changed within it.
 */
@QueryHandler(GetCapacityForecastQuery)
export class GetCapacityForecastHandler implements IQueryHandler<GetCapacityForecastQuery> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ popId, resource, now }: GetCapacityForecastQuery): Promise<CapacityForecast | null> {
    const nowMs = Date.parse(now);
    const windowStart = isoOf(nowMs - WINDOW_MS);
    const { rows: pops } = await this.sql.query(`SELECT 1 FROM ${T.pop} WHERE pop_id = $1`, [popId]);
    if (pops.length === 0) return null;
    const instants = await this.changePoints(popId, windowStart, now);
    const records = await this.records(popId, instants[0] ?? now, now);
    const thresholds = thresholdsOf(this.config);
    const points: UtilizationPoint[] = [];
    for (const at of instants) {
      const utilizationPercent = UTILIZATION[resource](popCapacityAt(records, at, thresholds));
      if (points.length === 0 || points[points.length - 1].utilizationPercent !== utilizationPercent) points.push({ at, utilizationPercent });
    }
    return { resource, ...forecast(points, isoOf(nowMs), thresholds) };
  }

  /** Instants in [windowStart, now] where an item starts or ends, after the last one before the window. */
  private async changePoints(popId: string, windowStart: string, now: string): Promise<string[]> {
    const bounds = ITEM_TABLES.map((table) => `SELECT valid_from AS at FROM ${table} WHERE pop_id = $1 UNION ALL SELECT valid_to FROM ${table} WHERE pop_id = $1`).join(' UNION ALL ');
    const { rows } = await this.sql.query<{ at: Date | string }>(
      `WITH b AS (${bounds})
       SELECT at FROM (SELECT max(at) AS at FROM b WHERE at < $2
                       UNION SELECT at FROM b WHERE at >= $2 AND at <= $3) p
        WHERE at IS NOT NULL ORDER BY at`,
      [popId, windowStart, now],
    );
    return rows.map((row) => isoOf(new Date(row.at).getTime()));
  }

  /** The PoP's items present at some instant of [since, now]. */
  private async records(popId: string, since: string, now: string): Promise<CapacityRecords> {
    const overlapping = (alias: string) => `${alias}.pop_id = $1 AND ${alias}.valid_from <= $3 AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > $2)`;
    const { rows } = await this.sql.query<ItemRow>(
      `SELECT 'lease' AS kind, valid_from AS from, valid_to AS to, lease_id AS id, NULL AS rack_id, NULL AS label, NULL::int AS height_u, contracted_power_kw AS amount
         FROM ${T.lease} x WHERE ${overlapping('x')}
       UNION ALL SELECT 'rack', valid_from, valid_to, rack_id, rack_id, NULL, height_u, max_power_kw FROM ${T.rack} x WHERE ${overlapping('x')}
       UNION ALL SELECT 'feed', valid_from, valid_to, feed_id, rack_id, side, NULL, kw FROM ${T.feed} x WHERE ${overlapping('x')}
       UNION ALL SELECT 'device', valid_from, valid_to, device_id, rack_id, NULL, height_u, draw_kw FROM ${T.device} x WHERE ${overlapping('x')}
       UNION ALL SELECT 'circuit', valid_from, valid_to, circuit_id, NULL, type, NULL, bandwidth_mbps FROM ${T.circuit} x WHERE ${overlapping('x')}
       UNION ALL SELECT 'reservation', valid_from, valid_to, reservation_id, NULL, resource, NULL, amount FROM ${T.reservation} x WHERE ${overlapping('x')}`,
      [popId, since, now],
    );
    const records: CapacityRecords = { leases: {}, racks: {}, feeds: {}, devices: {}, circuits: {}, reservations: {} };
    for (const row of rows) {
      const presence = { from: new Date(row.from).getTime(), to: row.to === null ? null : new Date(row.to).getTime() };
      const id = row.id as string;
      switch (row.kind) {
        case 'lease':
          store(records.leases, id, { ...presence, contractedPowerKw: row.amount });
          break;
        case 'rack':
          store(records.racks, id, { ...presence, rackId: id, heightU: row.height_u as number, maxPowerKw: row.amount });
          break;
        case 'feed':
          store(records.feeds, id, { ...presence, rackId: row.rack_id as string, side: row.label as FeedSide, kw: row.amount as number });
          break;
        case 'device':
          store(records.devices, id, { ...presence, rackId: row.rack_id as string, heightU: row.height_u as number, drawKw: row.amount as number });
          break;
        case 'circuit':
          store(records.circuits, id, { ...presence, type: row.label as CircuitType, bandwidthMbps: row.amount as number });
          break;
        case 'reservation':
          store(records.reservations, id, { ...presence, resource: row.label as CapacityResource, amount: row.amount as number });
          break;
      }
    }
    return records;
  }
}
