import { Module } from '@nestjs/common';
import { CommandsModule } from '../platform/commands/commands.module';
import { Projection } from '../platform/projections/projection.port';
import { GetCostSummaryHandler } from './read/cost-summary.query';
import { costProjection } from './read/cost.projection';
import { CostResolver } from './read/cost.resolver';
import { fxRatesProjection } from './read/fx-rates.projection';
import { GetPopCostHandler } from './read/get-pop-cost.query';
import { ExecuteFxCommandHandler, FxResolver } from './write/fx.resolver';

/** Read models the projection engine must run for the cost queries. */
export const costProjections: Projection[] = [costProjection, fxRatesProjection];

/** Cost and FX: exchange-rate sets (write), PoP cost and cost summaries (read). */
@Module({
  imports: [CommandsModule],
  providers: [FxResolver, ExecuteFxCommandHandler, CostResolver, GetPopCostHandler, GetCostSummaryHandler],
})
export class CostModule {}
