import { graphqlEnum } from '../platform/api/graphql-enum.util';
import { SCENARIO_STATUSES, STEP_COMMIT_STATUSES, STEP_OUTCOMES } from './domain/scenario.enums';

export const ScenarioStatusEnum = graphqlEnum('ScenarioStatus', SCENARIO_STATUSES);
export const ScenarioStepOutcomeEnum = graphqlEnum('ScenarioStepOutcome', STEP_OUTCOMES);
export const ScenarioStepStatusEnum = graphqlEnum('ScenarioStepStatus', STEP_COMMIT_STATUSES);
