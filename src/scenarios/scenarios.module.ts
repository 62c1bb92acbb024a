import { Module } from '@nestjs/common';
import { CommandsModule } from '../platform/commands/commands.module';
import { Projection } from '../platform/projections/projection.port';
import { ListScenariosHandler } from './read/list-scenarios.query';
import { ScenarioEvaluator } from './read/scenario-evaluation.service';
import { ScenarioQueriesResolver } from './read/scenario-queries.resolver';
import { scenariosProjection } from './read/scenarios.projection';
import { CommitScenarioHandler } from './write/commit-scenario.handler';
import { ExecuteScenarioCommandHandler } from './write/execute-scenario-command.handler';
import { ScenarioMutationsResolver } from './write/scenario-mutations.resolver';

/** The read model of the scenario list. */
export const scenariosProjections: Projection[] = [scenariosProjection];

/** What-if planning: scenarios (write), their evaluation and list (read). */
@Module({
  imports: [CommandsModule],
  providers: [ScenarioMutationsResolver, ExecuteScenarioCommandHandler, CommitScenarioHandler, ScenarioQueriesResolver, ScenarioEvaluator, ListScenariosHandler],
})
export class ScenariosModule {}
