import { IdIndex } from '../../kernel/id-index.util';
import { ScenarioStepData } from './scenario.commands';
import { ScenarioStatus } from './scenario.enums';

/** State of one scenario stream. Plain JSON (snapshots). */
export interface ScenarioAggregate {
  scenarioId: string;
  name: string;
  description: string | null;
  createdBy: string;
  /** Effective time of ScenarioCreated (ISO 8601). */
  createdAt: string;
  status: ScenarioStatus;
  /** The plan, in order. */
  steps: ScenarioStepData[];
  /** Every stepId ever used, removed ones included: a stepId is never reused. */
  usedStepIds: IdIndex<true>;
}

export type ScenarioState = ScenarioAggregate | null;

export function initialScenarioState(): ScenarioState {
  return null;
}
