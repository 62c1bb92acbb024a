import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { AsOfAnswers } from '../../platform/projections/as-of-answers.util';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import { CapacityThresholds } from '../domain/capacity.math';
import { capacityFigures, CapacityTotals, RackCapacityFigures, rackCapacity, totalsOf } from '../domain/pop-capacity-at.math';
import { PopHeader, readPopCapacityInputs, readStepTotals } from './capacity.reader';
import { inventoryProjection } from './inventory.projection';
import { PopCapacity } from './pop.types';

/** The parts of a capacity answer that cost reading more rows: `space.racks` and `network.byType`. */
export interface CapacityDetails {
  racks: boolean;
  byType: boolean;
}

/** A PoP's capacity at `asOf` (docs/domain.md, "Capacity formulas"); null for a PoP that was never registered. */
export class GetCapacityQuery extends Query<PopCapacity | null> {
  constructor(
    readonly popId: string,
    /** ISO 8601 instant. */
    readonly asOf: string,
    readonly details: CapacityDetails = { racks: true, byType: true },
  ) {
    super();
  }
}

export function thresholdsOf(config: AppConfig): CapacityThresholds {
  return { warnPercent: config.CAPACITY_WARN_PERCENT, criticalPercent: config.CAPACITY_CRITICAL_PERCENT };
}

/** The answer for one PoP: its header, and the domain's figures from its totals. */
export function popCapacity(
  header: PopHeader,
  totals: CapacityTotals,
  racks: RackCapacityFigures[],
  asOf: string,
  thresholds: CapacityThresholds,
): PopCapacity {
  const { popId, code, countryCode, status } = header;
  return { popId, code, countryCode, status, asOf, ...capacityFigures(totals, racks, thresholds) };
}

/** PoPs whose answer without racks is kept (about 1 kB each). */
const KEPT_POPS = 20_000;

/** A kept answer as read at another instant of its span. */
export function atInstant(capacity: PopCapacity, asOf: string): PopCapacity {
  return capacity.asOf === asOf ? capacity : { ...capacity, asOf };
}

/**
 * With the racks: one statement by pop_id, PoP-wide sums and per-rack sums of the items present at
 * asOf (rack math in the domain). Without them: the PoP's totals from the capacity steps (one index
 * probe, as findCapacity reads them), with its circuits by type when asked for: one statement either
 * way. That answer is kept per PoP while the inventory projection has not moved and none of its steps,
 * statuses or circuits changes between the instant it was read at and asOf (AsOfAnswers).
 */
@QueryHandler(GetCapacityQuery)
export class GetCapacityHandler implements IQueryHandler<GetCapacityQuery> {
  private readonly answers: AsOfAnswers<PopCapacity | null>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    projections: ProjectionEngine,
  ) {
    this.answers = new AsOfAnswers(projections, [inventoryProjection.name], KEPT_POPS);
  }

  async execute({ popId, asOf, details }: GetCapacityQuery): Promise<PopCapacity | null> {
    if (!details.racks) return this.fromSteps(popId, asOf, details.byType);
    const read = await readPopCapacityInputs(this.sql, asOf, popId);
    if (!read) return null;
    const { pop, racks } = read;
    return popCapacity(pop, totalsOf(racks, pop.popWide), racks.map(rackCapacity), asOf, thresholdsOf(this.config));
  }

  private async fromSteps(popId: string, asOf: string, byType: boolean): Promise<PopCapacity | null> {
    const capacity = await this.answers.get(`${popId} ${byType}`, asOf, async () => {
      const { pops: [pop], until } = await readStepTotals(this.sql, asOf, { popIds: [popId] }, { circuitTypes: byType, until: true });
      return { value: pop ? popCapacity(pop, pop.totals, [], asOf, thresholdsOf(this.config)) : null, until };
    });
    return capacity && atInstant(capacity, asOf);
  }
}
