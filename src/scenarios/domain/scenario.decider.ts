import { Decider } from '../../kernel/decider.types';
import { ScenarioCommand } from './scenario.commands';
import { decideScenario } from './scenario.decide';
import { ScenarioEvent } from './scenario.events';
import { evolveScenario } from './scenario.evolve';
import { initialScenarioState, ScenarioState } from './scenario.state';

/** The scenario aggregate (stream `scenario-<scenarioId>`). `evolve` updates the state in place. */
export const scenarioDecider: Decider<ScenarioCommand, ScenarioState, ScenarioEvent> = {
  decide: decideScenario,
  evolve: evolveScenario,
  initialState: initialScenarioState,
};
