import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { forecast, forecastSeries, UtilizationPoint } from '../domain/forecast.math';
import { capacityFigures, PopCapacityFigures } from '../domain/pop-capacity-at.math';
import { CapacityResource } from '../domain/pop.enums';
import { DAY_MS, isoOf } from '../../kernel/time.util';
import { POP_STEP_TABLE, PopStepRow, totalsOfStep } from './capacity-steps.table';
import { thresholdsOf } from './get-capacity.query';
import { INVENTORY_TABLES as T } from './inventory.projection';
import { CapacityForecast } from './pop.types';

/** When a PoP's resource runs out at the current trend (docs/domain.md, "Capacity formulas"); null for an unknown PoP. */
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

/**
 * The utilization series comes from the PoP's capacity steps: each step is a change point (an item
 * starting or ending), its utilization computed by the domain from its totals. Steps that leave
 * the resource's utilization unchanged are left out; the last change before the window is kept,
 * which gives the current utilization when nothing changed within it.
 */
@QueryHandler(GetCapacityForecastQuery)
export class GetCapacityForecastHandler implements IQueryHandler<GetCapacityForecastQuery> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ popId, resource, now }: GetCapacityForecastQuery): Promise<CapacityForecast | null> {
    const nowMs = Date.parse(now);
    const { rows } = await this.sql.query<PopStepRow & { at: Date | null }>(
      `SELECT s.*
         FROM ${T.pop} p
         LEFT JOIN LATERAL (
           SELECT * FROM ${POP_STEP_TABLE} s
            WHERE s.pop_id = p.pop_id AND s.at <= $3
              AND s.at >= coalesce((SELECT max(b.at) FROM ${POP_STEP_TABLE} b WHERE b.pop_id = p.pop_id AND b.at < $2), '-infinity')
         ) s ON true
        WHERE p.pop_id = $1
        ORDER BY s.at`,
      [popId, isoOf(nowMs - WINDOW_MS), isoOf(nowMs)],
    );
    if (rows.length === 0) return null; // no such PoP (a PoP without steps has one row of NULLs)
    const thresholds = thresholdsOf(this.config);
    const points: UtilizationPoint[] = [];
    for (const row of rows) {
      if (row.at === null) continue;
      const utilizationPercent = UTILIZATION[resource](capacityFigures(totalsOfStep(row), [], thresholds));
      if (points.length === 0 || points[points.length - 1].utilizationPercent !== utilizationPercent) points.push({ at: row.at.toISOString(), utilizationPercent });
    }
    return {
      resource,
      ...forecast(points, isoOf(nowMs), thresholds),
      ...forecastSeries(points, isoOf(nowMs)),
      warningPercent: thresholds.warnPercent,
      criticalPercent: thresholds.criticalPercent,
    };
  }
}
