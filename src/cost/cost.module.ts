import { Module } from '@nestjs/common';
import { Projection } from '../projections/projection';
import { GetCostSummaryHandler } from './cost-summary.query';
import { costProjection } from './cost.projection';
import { CostResolver } from './cost.resolver';
import { fxRatesProjection } from './fx-rates.projection';
import { GetPopCostHandler } from './get-pop-cost.query';

/** Read models the projection engine must run for the cost queries. */
export const costProjections: Projection[] = [costProjection, fxRatesProjection];

@Module({
  providers: [CostResolver, GetPopCostHandler, GetCostSummaryHandler],
})
export class CostModule {}
