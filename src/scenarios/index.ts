/**
 * What-if planning: scenarios (named, shared plans of inventory and workload steps on the
 * `scenario-<scenarioId>` streams), their evaluation on top of the log, and their commit.
 * The only way in from other features, the tools and the composition root.
 */
export { ScenariosModule, scenariosProjections } from './scenarios.module';
export { SCENARIO_STREAM_PREFIX, scenarioStream, stepCommandId } from './domain/scenario.streams';
export { scenarioDecider } from './domain/scenario.decider';
export type { ScenarioCommand, ScenarioStepData } from './domain/scenario.commands';
export type { ScenarioEvent } from './domain/scenario.events';
