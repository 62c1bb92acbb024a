import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioCommand, ScenarioStepData } from '../../../src/scenarios/domain/scenario.commands';
import { scenarioDecider } from '../../../src/scenarios/domain/scenario.decider';
import { ScenarioEvent } from '../../../src/scenarios/domain/scenario.events';
import { stepCommandId } from '../../../src/scenarios/domain/scenario.streams';
import { deciderSpec } from '../../support/decider-spec';
import { iso, T0 } from '../../support/pop-builders';

const spec = deciderSpec(scenarioDecider);

const step = (stepId: string, deviceId = stepId): ScenarioStepData => ({
  stepId,
  mutation: 'installDevice',
  input: { popId: 'fra1', deviceId, rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 100, effectiveAt: iso('2027-03-01') },
});
const steps = (count: number, prefix = 's') => Array.from({ length: count }, (_, i) => step(`${prefix}${i}`));

const create = (description: string | null = 'More servers'): ScenarioCommand => ({
  type: 'CreateScenario',
  data: { scenarioId: 'q1', name: 'Q1 build-out', description, createdBy: 'planning' },
  effectiveAt: T0,
});
const created: ScenarioEvent = { type: 'ScenarioCreated', data: { scenarioId: 'q1', name: 'Q1 build-out', description: 'More servers', createdBy: 'planning' }, effectiveAt: T0 };
const add = (...added: ScenarioStepData[]): ScenarioCommand => ({ type: 'AddScenarioSteps', data: { scenarioId: 'q1', steps: added }, effectiveAt: T0 });
const added = (...added: ScenarioStepData[]): ScenarioEvent => ({ type: 'ScenarioStepsAdded', data: { scenarioId: 'q1', steps: added }, effectiveAt: T0 });
const remove = (stepId: string): ScenarioCommand => ({ type: 'RemoveScenarioStep', data: { scenarioId: 'q1', stepId }, effectiveAt: T0 });
const removed = (stepId: string): ScenarioEvent => ({ type: 'ScenarioStepRemoved', data: { scenarioId: 'q1', stepId }, effectiveAt: T0 });
const discard: ScenarioCommand = { type: 'DiscardScenario', data: { scenarioId: 'q1' }, effectiveAt: T0 };
const discarded: ScenarioEvent = { type: 'ScenarioDiscarded', data: { scenarioId: 'q1' }, effectiveAt: T0 };
const commit: ScenarioCommand = { type: 'CommitScenario', data: { scenarioId: 'q1' }, effectiveAt: T0 };
const committed: ScenarioEvent = { type: 'ScenarioCommitted', data: { scenarioId: 'q1' }, effectiveAt: T0 };

describe('createScenario', () => {
  it('creates an OPEN, empty scenario; an absent description is null', () => {
    spec.given([]).when(create()).then([created]);
    spec.given([]).when(create(null)).then([{ ...created, data: { ...created.data, description: null } }]);
  });

  it('rejects an id that exists, whatever its status', () => {
    spec.given([created]).when(create()).thenThrows('DUPLICATE_ID', 'scenario q1 already exists');
    spec.given([created, discarded]).when(create()).thenThrows('DUPLICATE_ID');
  });

  it('normalises the effective time', () => {
    spec.given([]).when({ ...create(), effectiveAt: '2027-01-01T01:00:00+01:00' }).then([{ ...created, effectiveAt: '2027-01-01T00:00:00.000Z' }]);
  });
});

describe('addScenarioSteps', () => {
  it('appends the steps as given (mutation name and input fields)', () => {
    spec.given([created]).when(add(step('a'), step('b'))).then([added(step('a'), step('b'))]);
    spec.given([created, added(step('a'))]).when(add(step('b'))).then([added(step('b'))]);
  });

  it('answers NOT_FOUND for an unknown scenario', () => {
    spec.given([]).when(add(step('a'))).thenNotFound('scenario q1 does not exist');
  });

  it('rejects steps on a committed or discarded scenario: SCENARIO_CLOSED', () => {
    spec.given([created, committed]).when(add(step('a'))).thenThrows('SCENARIO_CLOSED', 'scenario q1 is COMMITTED: its steps can no longer change');
    spec.given([created, discarded]).when(add(step('a'))).thenThrows('SCENARIO_CLOSED', 'scenario q1 is DISCARDED: its steps can no longer change');
  });

  it("rejects a reused stepId, a removed one's included, and one given twice: DUPLICATE_ID", () => {
    spec.given([created, added(step('a'))]).when(add(step('a', 'other'))).thenThrows('DUPLICATE_ID', 'step a is already used in scenario q1');
    spec.given([created, added(step('a')), removed('a')]).when(add(step('a'))).thenThrows('DUPLICATE_ID');
    spec.given([created]).when(add(step('b'), step('b', 'other'))).thenThrows('DUPLICATE_ID', 'step b is already used in scenario q1 (twice in this call)');
  });

  it('takes at most 500 steps per call and 5,000 per scenario', () => {
    spec.given([created]).when(add(...steps(500))).then([added(...steps(500))]);
    spec.given([created]).when(add(...steps(501))).thenInvalidInput('steps');
    spec.given([created]).when(add()).thenInvalidInput('steps');
    const full = Array.from({ length: 10 }, (_, batch) => added(...steps(500, `b${batch}-`)));
    spec.given([created, ...full.slice(0, 9)]).when(add(...steps(500))).then([added(...steps(500))]);
    spec.given([created, ...full]).when(add(step('one-more'))).thenInvalidInput('steps');
    // A removed step frees its place (not its id).
    spec.given([created, ...full, removed('b0-0')]).when(add(step('one-more'))).then([added(step('one-more'))]);
  });
});

describe('removeScenarioStep', () => {
  it('removes a step of the plan', () => {
    spec.given([created, added(step('a'), step('b'))]).when(remove('a')).then([removed('a')]);
  });

  it('rejects a step that is not in the plan (never added or already removed): UNKNOWN_ID', () => {
    spec.given([created, added(step('a'))]).when(remove('b')).thenThrows('UNKNOWN_ID', 'scenario q1 has no step b');
    spec.given([created, added(step('a')), removed('a')]).when(remove('a')).thenThrows('UNKNOWN_ID');
  });

  it('rejects a change to a closed scenario', () => {
    spec.given([created, added(step('a')), committed]).when(remove('a')).thenThrows('SCENARIO_CLOSED');
  });
});

describe('discardScenario and commitScenario', () => {
  it('close an OPEN scenario', () => {
    spec.given([created, added(step('a'))]).when(discard).then([discarded]);
    spec.given([created, added(step('a'))]).when(commit).then([committed]);
  });

  it('reject a closed one: SCENARIO_CLOSED', () => {
    spec.given([created, discarded]).when(discard).thenThrows('SCENARIO_CLOSED');
    spec.given([created, committed]).when(discard).thenThrows('SCENARIO_CLOSED');
    spec.given([created, discarded]).when(commit).thenThrows('SCENARIO_CLOSED');
  });

  it('answer NOT_FOUND for an unknown scenario', () => {
    spec.given([]).when(discard).thenNotFound();
    spec.given([]).when(commit).thenNotFound();
  });
});

describe('scenario state', () => {
  it('keeps the plan in order, its status, who created it and when', () => {
    let state = scenarioDecider.initialState();
    for (const event of [created, added(step('a'), step('b')), added(step('c')), removed('b'), committed]) state = scenarioDecider.evolve(state, event);
    assert.deepEqual(state, {
      scenarioId: 'q1',
      name: 'Q1 build-out',
      description: 'More servers',
      createdBy: 'planning',
      createdAt: T0,
      status: 'COMMITTED',
      steps: [step('a'), step('c')],
      usedStepIds: { a: true, b: true, c: true },
    });
  });

  it("replaces the steps array on change, so that a reader's copy stays as it was", () => {
    let state = scenarioDecider.evolve(scenarioDecider.initialState(), created);
    state = scenarioDecider.evolve(state, added(step('a')));
    const copy = state?.steps;
    state = scenarioDecider.evolve(state, added(step('b')));
    state = scenarioDecider.evolve(state, removed('a'));
    assert.deepEqual(copy, [step('a')]);
  });
});

describe('stepCommandId', () => {
  it('is deterministic, distinct per scenario and step, and an ID of the API alphabet', () => {
    assert.equal(stepCommandId('q1', 'a'), stepCommandId('q1', 'a'));
    assert.notEqual(stepCommandId('q1', 'a'), stepCommandId('q2', 'a'));
    assert.notEqual(stepCommandId('q1', 'ab'), stepCommandId('q1a', 'b'));
    assert.match(stepCommandId('q1', 'a'), /^scenario:[0-9a-f]{40}$/);
  });
});
