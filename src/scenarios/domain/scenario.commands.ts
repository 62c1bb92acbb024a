import { DomainCommand } from '../../kernel/decider.types';
import { StepMutation } from './scenario.enums';

/** Steps per addScenarioSteps call, and in a scenario (docs/planning-scenarios.md, "Limits"). */
export const MAX_STEPS_PER_CALL = 500;
export const MAX_STEPS_PER_SCENARIO = 5_000;

/**
 * One step of a plan: a mutation by name and that mutation's input fields (less commandId,
 * expectedRevision and dryRun), as plain JSON with unset fields left out. `effectiveAt` absent: the
 * step takes effect when it is evaluated, or committed.
 */
export interface ScenarioStepData {
  stepId: string;
  mutation: StepMutation;
  input: StepInputData;
}

/** A mutation input's fields; every step names its PoP (inventory) or workload (workload steps). */
export interface StepInputData {
  popId?: string;
  workloadId?: string;
  effectiveAt?: string;
  [field: string]: unknown;
}

export interface CreateScenarioData {
  scenarioId: string;
  name: string;
  description?: string | null;
  /** The principal that created it (the API key's name). */
  createdBy: string;
}

export interface AddScenarioStepsData {
  scenarioId: string;
  steps: ScenarioStepData[];
}

export interface RemoveScenarioStepData {
  scenarioId: string;
  stepId: string;
}

export interface ScenarioRefData {
  scenarioId: string;
}

/** Commands on a scenario stream (`scenario-<scenarioId>`). */
export type CreateScenario = DomainCommand<'CreateScenario', CreateScenarioData>;
export type AddScenarioSteps = DomainCommand<'AddScenarioSteps', AddScenarioStepsData>;
export type RemoveScenarioStep = DomainCommand<'RemoveScenarioStep', RemoveScenarioStepData>;
export type DiscardScenario = DomainCommand<'DiscardScenario', ScenarioRefData>;
/** Marks the scenario committed; the application records its steps first. */
export type CommitScenario = DomainCommand<'CommitScenario', ScenarioRefData>;

export type ScenarioCommand = CreateScenario | AddScenarioSteps | RemoveScenarioStep | DiscardScenario | CommitScenario;
