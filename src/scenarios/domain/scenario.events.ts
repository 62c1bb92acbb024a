import { DomainEvent } from '../../kernel/decider.types';
import { AddScenarioStepsData, RemoveScenarioStepData, ScenarioRefData } from './scenario.commands';

/** Events of a scenario stream (`scenario-<scenarioId>`): a plan's whole audit trail. */

export type ScenarioCreated = DomainEvent<'ScenarioCreated', { scenarioId: string; name: string; description: string | null; createdBy: string }>;
export type ScenarioStepsAdded = DomainEvent<'ScenarioStepsAdded', AddScenarioStepsData>;
export type ScenarioStepRemoved = DomainEvent<'ScenarioStepRemoved', RemoveScenarioStepData>;
export type ScenarioDiscarded = DomainEvent<'ScenarioDiscarded', ScenarioRefData>;
export type ScenarioCommitted = DomainEvent<'ScenarioCommitted', ScenarioRefData>;

export type ScenarioEvent = ScenarioCreated | ScenarioStepsAdded | ScenarioStepRemoved | ScenarioDiscarded | ScenarioCommitted;

export const SCENARIO_EVENT_TYPES = ['ScenarioCreated', 'ScenarioStepsAdded', 'ScenarioStepRemoved', 'ScenarioDiscarded', 'ScenarioCommitted'] as const satisfies readonly ScenarioEvent['type'][];
