import { Module } from '@nestjs/common';
import { Projection } from '../projections/projection';
import { GetCapacityForecastHandler } from './capacity-forecast.query';
import { FindCapacityHandler } from './find-capacity.query';
import { GetCapacityHandler } from './get-capacity.query';
import { GetPopHandler } from './get-pop.query';
import { inventoryProjection } from './inventory.projection';
import { ListPopsHandler } from './list-pops.query';
import { PlanningResolver } from './planning.resolver';

/** The read models the planning queries answer from. */
export const planningProjections: Projection[] = [inventoryProjection];

@Module({
  providers: [PlanningResolver, GetPopHandler, ListPopsHandler, GetCapacityHandler, FindCapacityHandler, GetCapacityForecastHandler],
})
export class PlanningModule {}
