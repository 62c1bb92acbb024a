import { Module } from '@nestjs/common';
import { CommandsModule } from '../platform/commands/commands.module';
import { Projection } from '../platform/projections/projection.port';
import { GetCapacityForecastHandler } from './read/capacity-forecast.query';
import { FindCapacityHandler } from './read/find-capacity.query';
import { GetCapacityHandler } from './read/get-capacity.query';
import { GetPopHandler } from './read/get-pop.query';
import { InventoryQueriesResolver } from './read/inventory-queries.resolver';
import { inventoryProjection } from './read/inventory.projection';
import { ListPopsHandler } from './read/list-pops.query';
import { RackElevationController } from './read/rack-elevation.controller';
import { GetRackElevationHandler } from './read/rack-elevation.query';
import { RackElevationService } from './read/rack-elevation.service';
import { ExecutePopCommandHandler, ExecutePopCommandsHandler } from './write/execute-pop-command.handler';
import { PopMutationsResolver } from './write/pop-mutations.resolver';

/** The read models the planning queries answer from. */
export const inventoryProjections: Projection[] = [inventoryProjection];

/** PoP inventory and capacity: the `pop-<popId>` streams, their mutations, the planning queries and the rack elevations. */
@Module({
  imports: [CommandsModule],
  controllers: [RackElevationController],
  providers: [
    PopMutationsResolver, ExecutePopCommandHandler, ExecutePopCommandsHandler,
    InventoryQueriesResolver, GetPopHandler, ListPopsHandler, GetCapacityHandler, FindCapacityHandler, GetCapacityForecastHandler,
    GetRackElevationHandler, RackElevationService,
  ],
})
export class InventoryModule {}
