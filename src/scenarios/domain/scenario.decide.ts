import { InvalidInputError, NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { instantMs, isoOf } from '../../kernel/time.util';
import { MAX_STEPS_PER_CALL, MAX_STEPS_PER_SCENARIO, ScenarioCommand } from './scenario.commands';
import { ScenarioEvent } from './scenario.events';
import { ScenarioAggregate, ScenarioState } from './scenario.state';

/**
 * Decides a scenario command (docs/planning-scenarios.md). A scenario is created once (DUPLICATE_ID);
 * its steps change only while it is OPEN (SCENARIO_CLOSED once committed or discarded); a stepId is
 * used once in a scenario, removed ones included (DUPLICATE_ID). Never mutates `state`.
 */
export function decideScenario(command: ScenarioCommand, state: ScenarioState): ScenarioEvent[] {
  const effectiveAt = isoOf(instantMs(command.effectiveAt, 'effectiveAt'));
  const { scenarioId } = command.data;
  if (command.type === 'CreateScenario') {
    if (state !== null) throw new RuleViolationError('DUPLICATE_ID', `scenario ${scenarioId} already exists`);
    const { name, description, createdBy } = command.data;
    return [{ type: 'ScenarioCreated', data: { scenarioId, name, description: description ?? null, createdBy }, effectiveAt }];
  }
  const scenario = requireOpen(state, scenarioId);
  switch (command.type) {
    case 'AddScenarioSteps': {
      const { steps } = command.data;
      if (steps.length === 0) throw new InvalidInputError('steps', 'steps must hold at least one step');
      if (steps.length > MAX_STEPS_PER_CALL) throw new InvalidInputError('steps', `at most ${MAX_STEPS_PER_CALL} steps can be added at once, got ${steps.length}`);
      const total = scenario.steps.length + steps.length;
      if (total > MAX_STEPS_PER_SCENARIO) {
        throw new InvalidInputError('steps', `a scenario holds at most ${MAX_STEPS_PER_SCENARIO} steps: scenario ${scenarioId} has ${scenario.steps.length}, adding ${steps.length} would make ${total}`);
      }
      const seen = new Set<string>();
      for (const { stepId } of steps) {
        if (lookup(scenario.usedStepIds, stepId) || seen.has(stepId)) {
          throw new RuleViolationError('DUPLICATE_ID', `step ${stepId} is already used in scenario ${scenarioId}${seen.has(stepId) ? ' (twice in this call)' : ''}`);
        }
        seen.add(stepId);
      }
      return [{ type: 'ScenarioStepsAdded', data: { scenarioId, steps }, effectiveAt }];
    }
    case 'RemoveScenarioStep': {
      const { stepId } = command.data;
      if (!scenario.steps.some((step) => step.stepId === stepId)) throw new RuleViolationError('UNKNOWN_ID', `scenario ${scenarioId} has no step ${stepId}`);
      return [{ type: 'ScenarioStepRemoved', data: { scenarioId, stepId }, effectiveAt }];
    }
    case 'DiscardScenario':
      return [{ type: 'ScenarioDiscarded', data: { scenarioId }, effectiveAt }];
    case 'CommitScenario':
      return [{ type: 'ScenarioCommitted', data: { scenarioId }, effectiveAt }];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled scenario command ${(unhandled as ScenarioCommand).type}`);
    }
  }
}

function requireOpen(state: ScenarioState, scenarioId: string): ScenarioAggregate {
  if (state === null) throw new NotFoundError(`scenario ${scenarioId} does not exist`);
  if (state.status !== 'OPEN') {
    throw new RuleViolationError('SCENARIO_CLOSED', `scenario ${scenarioId} is ${state.status}: its steps can no longer change`);
  }
  return state;
}
