import { store } from '../../kernel/id-index.util';
import { ScenarioEvent } from './scenario.events';
import { ScenarioState } from './scenario.state';

/**
 * Applies one event. Updates `state` in place and returns it (the first event creates it); the
 * steps array is replaced, never changed in place, so a reader's copy of it stays as it was.
 */
export function evolveScenario(state: ScenarioState, event: ScenarioEvent): ScenarioState {
  if (event.type === 'ScenarioCreated') {
    const { scenarioId, name, description, createdBy } = event.data;
    return { scenarioId, name, description, createdBy, createdAt: event.effectiveAt, status: 'OPEN', steps: [], usedStepIds: {} };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'ScenarioStepsAdded':
      for (const step of event.data.steps) store(state.usedStepIds, step.stepId, true);
      state.steps = [...state.steps, ...event.data.steps];
      return state;
    case 'ScenarioStepRemoved':
      state.steps = state.steps.filter((step) => step.stepId !== event.data.stepId);
      return state;
    case 'ScenarioDiscarded':
      state.status = 'DISCARDED';
      return state;
    case 'ScenarioCommitted':
      state.status = 'COMMITTED';
      return state;
  }
}
