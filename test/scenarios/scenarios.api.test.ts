import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stepCommandId } from '../../src/scenarios/domain/scenario.streams';
import { EVENT_STORE, EventStore } from '../../src/platform/event-store/event-store.port';
import { EUR, mutation, physicalPopSetup } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const at = (date: string) => `${date}T00:00:00.000Z`;
const MONEY = 'amount currency';
const CAPACITY = `popId code countryCode status asOf overall space { totalU usedU reservedU freeU utilizationPercent status racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } }
  power { provisionedKw usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status }
  network { capacityMbps reservedMbps headroomMbps utilizationPercent status byType { type capacityMbps circuits } }`;
const COST = `popId asOf monthlyRecurring { ${MONEY} } byCategory { category monthlyRecurring { ${MONEY} } } oneOff { ${MONEY} } converted { ${MONEY} }
  costPerUsableKw { ${MONEY} } costPerU { ${MONEY} } costPerMbps { ${MONEY} }`;
const SCENARIO = `query($id: ID!, $asOf: DateTime) { scenario(scenarioId: $id, asOf: $asOf) {
  scenarioId name description status createdBy createdAt stepCount asOf valid
  steps { stepId index mutation streamId popId effectiveAt outcome recorded code rule reason }
  impact { popId code before { ${CAPACITY} } after { ${CAPACITY} } costBefore { ${COST} } costAfter { ${COST} } } } }`;
const COMMIT = `mutation($input: CommitScenarioInput!) { commitScenario(input: $input) { scenarioId committed projected dryRun results { stepId status code rule reason eventIds } } }`;
const READ_BACK = `query($popId: ID!, $asOf: DateTime) { capacity(popId: $popId, asOf: $asOf) { ${CAPACITY} } cost(popId: $popId, asOf: $asOf) { ${COST} } }`;

const device = (deviceId: string, positionU: number, powerDrawWatts: number, date: string, popId = 'fra1') => ({
  popId, deviceId, rackId: 'r1', role: 'SERVER', positionU, heightU: 2, powerDrawWatts, purchaseCost: EUR('8000'), effectiveAt: at(date),
});

/**
 * Scenarios over GraphQL (docs/planning-scenarios.md): every name of the contract, the errors, the
 * evaluation against the read models, commit and re-commit, and access.
 */
describe('scenarios over GraphQL', () => {
  let app: TestApp;
  let store: EventStore;

  async function ok(name: string, input: Record<string, unknown>, role: 'admin' | 'planner' = 'admin') {
    const response = await app.gql(mutation(name), { input }, role);
    assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
    return response.data[name];
  }
  const fails = async (name: string, input: Record<string, unknown>) => {
    const response = await app.gql(mutation(name), { input });
    assert.ok(response.errors?.length, `${name} should fail`);
    return response.errors[0];
  };
  const scenario = async (id: string, asOf?: string) => {
    const response = await app.gql(SCENARIO, { id, asOf }, 'viewer');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data.scenario;
  };
  const commit = async (scenarioId: string, extra: Record<string, unknown> = {}) => {
    const response = await app.gql(COMMIT, { input: { scenarioId, ...extra } }, 'planner');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data.commitScenario;
  };

  before(async () => {
    app = await startTestApp({}, { READ_YOUR_WRITES_TIMEOUT_MS: '60000' });
    store = app.app.get<EventStore>(EVENT_STORE);
    for (const [name, input] of physicalPopSetup('fra1')) await ok(name, input);
    await ok('startBuildOut', { popId: 'fra1', effectiveAt: at('2026-01-02') });
    await ok('activatePop', { popId: 'fra1', effectiveAt: at('2026-01-03') });
    await ok('installDevice', device('d0', 1, 1000, '2026-01-10'));
    await ok('registerWorkload', { workloadId: 'crm', tenant: 'acme', name: 'CRM', dataCategories: ['PERSONAL'], effectiveAt: at('2026-01-01') });
  });
  after(() => app.close());

  it('creates a scenario, adds steps, and evaluates them on the log: outcome per step, impact as the read models will answer', async () => {
    const created = await ok('createScenario', { scenarioId: 'q2', name: 'Q2 build-out', description: 'Two servers, a circuit, a new PoP', effectiveAt: at('2026-03-01') }, 'planner');
    assert.deepEqual({ ...created, position: undefined, eventIds: created.eventIds.length }, { streamId: 'scenario-q2', revision: 0, position: undefined, eventIds: 1, duplicate: false, projected: true });
    await ok('addScenarioSteps', {
      scenarioId: 'q2',
      steps: [
        { stepId: 'srv-1', installDevice: device('d1', 3, 1500, '2026-04-01') },
        { stepId: 'srv-2', installDevice: device('d2', 3, 1500, '2026-04-02') }, // same U as d1: rejected
        { stepId: 'srv-3', installDevice: device('d3', 5, 1500, '2026-04-03') },
        { stepId: 'ix', connectCarrier: { popId: 'fra1', circuitId: 'ix1', carrier: 'DE-CIX', type: 'IX_PEERING', bandwidthMbps: 10000, monthlyCost: EUR('600'), effectiveAt: at('2026-03-15') } },
      ],
    });
    await ok('addScenarioSteps', {
      scenarioId: 'q2',
      steps: [
        { stepId: 'new-pop', registerPop: { popId: 'par1', code: 'PAR1', name: 'Paris', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'FR', monthlyCost: EUR('2500'), effectiveAt: at('2026-03-01') } },
        { stepId: 'par-live', activatePop: { popId: 'par1', effectiveAt: at('2026-03-10') } },
        { stepId: 'crm-par', placeWorkload: { workloadId: 'crm', popId: 'par1', role: 'REPLICA', effectiveAt: at('2026-03-05') } }, // par1 not LIVE yet
        { stepId: 'crm-par-2', placeWorkload: { workloadId: 'crm', popId: 'par1', role: 'REPLICA', effectiveAt: at('2026-03-20') } },
      ],
    });
    const s = await scenario('q2', at('2026-05-01'));
    assert.deepEqual(
      { ...s, steps: undefined, impact: undefined },
      { scenarioId: 'q2', name: 'Q2 build-out', description: 'Two servers, a circuit, a new PoP', status: 'OPEN', createdBy: 'planner', createdAt: at('2026-03-01'), stepCount: 8, asOf: at('2026-05-01'), valid: false, steps: undefined, impact: undefined },
    );
    assert.deepEqual(s.steps.map((step: any) => [step.stepId, step.index, step.mutation, step.streamId, step.popId, step.outcome, step.recorded, step.code, step.rule]), [
      ['srv-1', 0, 'installDevice', 'pop-fra1', 'fra1', 'ACCEPTED', false, null, null],
      ['srv-2', 1, 'installDevice', 'pop-fra1', 'fra1', 'REJECTED', false, 'RULE_VIOLATION', 'SPACE_OVERLAP'],
      ['srv-3', 2, 'installDevice', 'pop-fra1', 'fra1', 'ACCEPTED', false, null, null],
      ['ix', 3, 'connectCarrier', 'pop-fra1', 'fra1', 'ACCEPTED', false, null, null],
      ['new-pop', 4, 'registerPop', 'pop-par1', 'par1', 'ACCEPTED', false, null, null],
      ['par-live', 5, 'activatePop', 'pop-par1', 'par1', 'ACCEPTED', false, null, null],
      ['crm-par', 6, 'placeWorkload', 'workload-crm', 'par1', 'REJECTED', false, 'RULE_VIOLATION', 'INVALID_TRANSITION'],
      ['crm-par-2', 7, 'placeWorkload', 'workload-crm', 'par1', 'ACCEPTED', false, null, null],
    ]);
    assert.equal(s.steps[1].reason, 'device d2 (U3-U4) would overlap device d1 (U3-U4) in rack r1 at 2026-04-02T00:00:00.000Z');
    assert.equal(s.steps[0].effectiveAt, at('2026-04-01'));
    assert.deepEqual(s.impact.map((impact: any) => [impact.popId, impact.code]), [['fra1', 'FRA1'], ['par1', 'PAR1']]);
    const [fra1, par1] = s.impact;
    // Before: the read models now. After: what they answer once the accepted steps are recorded (checked after the commit).
    const now = await app.gql(READ_BACK, { popId: 'fra1', asOf: at('2026-05-01') });
    assert.deepEqual(fra1.before, now.data.capacity);
    assert.deepEqual(fra1.costBefore, now.data.cost);
    assert.deepEqual([fra1.before.space.usedU, fra1.after.space.usedU, fra1.after.power.allocatedKw, fra1.after.network.capacityMbps], [2, 6, 4, 10000]);
    assert.deepEqual(fra1.costAfter.monthlyRecurring, [EUR('10600.00')]);
    assert.deepEqual(fra1.costAfter.oneOff, []);
    assert.deepEqual([par1.before, par1.costBefore], [null, null]);
    assert.deepEqual([par1.after.status, par1.costAfter.monthlyRecurring], ['LIVE', [EUR('2500.00')]]);
    // At another instant: one-off costs of April.
    const april = await scenario('q2', at('2026-04-15'));
    assert.deepEqual(april.impact[0].costAfter.oneOff, [EUR('16000.00')]);
  });

  it('refuses bad steps: no or two mutation fields, an unknown PoP, a mutation that is not a step, a bad field', async () => {
    const noField = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'x' }] });
    assert.equal(noField.extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(noField.extensions.fields.map((f: any) => f.field), ['steps.0']);
    const twoFields = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'x', startBuildOut: { popId: 'fra1' }, activatePop: { popId: 'fra1' } }] });
    assert.deepEqual([twoFields.extensions.code, twoFields.extensions.fields], ['BAD_USER_INPUT', [{ field: 'steps.0', message: 'a step needs exactly one mutation field (an inventory or workload mutation, e.g. installDevice), got 2: startBuildOut, activatePop' }]]);
    const unknownPop = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'x', installRack: { popId: 'nowhere', rackId: 'r1' } }, { stepId: 'y', placeWorkload: { workloadId: 'crm', popId: 'nowhere', role: 'CACHE' } }] });
    assert.equal(unknownPop.extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(unknownPop.extensions.fields.map((f: any) => f.field), ['steps.0.installRack.popId', 'steps.1.placeWorkload.popId']);
    const notAStep = await app.gql(`mutation { addScenarioSteps(input: { scenarioId: "q2", steps: [{ stepId: "x", setExchangeRates: { base: "EUR", rates: [] } }] }) { revision } }`);
    assert.equal(notAStep.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    const envelopeInStep = await app.gql(`mutation { addScenarioSteps(input: { scenarioId: "q2", steps: [{ stepId: "x", activatePop: { popId: "fra1", commandId: "c1" } }] }) { revision } }`);
    assert.equal(envelopeInStep.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    const badField = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'x', installDevice: { ...device('dx', 61, 10, '2026-04-01') } }] });
    assert.deepEqual(badField.extensions.fields.map((f: any) => f.field), ['steps.0.installDevice.positionU']);
    const tooMany = await fails('addScenarioSteps', { scenarioId: 'q2', steps: Array.from({ length: 501 }, (_, i) => ({ stepId: `m${i}`, activatePop: { popId: 'fra1' } })) });
    assert.deepEqual([tooMany.extensions.code, tooMany.extensions.fields[0].field], ['BAD_USER_INPUT', 'steps']);
    const reused = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'srv-1', activatePop: { popId: 'fra1' } }] });
    assert.deepEqual([reused.extensions.code, reused.extensions.rule], ['RULE_VIOLATION', 'DUPLICATE_ID']);
    const unknownScenario = await fails('addScenarioSteps', { scenarioId: 'nope', steps: [{ stepId: 'a', activatePop: { popId: 'nowhere' } }] });
    assert.equal(unknownScenario.extensions.code, 'NOT_FOUND');
    const again = await fails('createScenario', { scenarioId: 'q2', name: 'again' });
    assert.deepEqual([again.extensions.code, again.extensions.rule], ['RULE_VIOLATION', 'DUPLICATE_ID']);
    const unknownStep = await fails('removeScenarioStep', { scenarioId: 'q2', stepId: 'nope' });
    assert.deepEqual([unknownStep.extensions.code, unknownStep.extensions.rule], ['RULE_VIOLATION', 'UNKNOWN_ID']);
    assert.equal((await scenario('q2')).stepCount, 8);
  });

  it('does not commit a plan with a rejected step: nothing appended, each rejected step named with its rule', async () => {
    const before = await store.countAfter(null);
    const result = await commit('q2');
    assert.deepEqual(result, {
      scenarioId: 'q2', committed: false, projected: false, dryRun: false,
      results: [
        { stepId: 'srv-2', status: 'rejected', code: 'RULE_VIOLATION', rule: 'SPACE_OVERLAP', reason: 'device d2 (U3-U4) would overlap device d1 (U3-U4) in rack r1 at 2026-04-02T00:00:00.000Z', eventIds: [] },
        { stepId: 'crm-par', status: 'rejected', code: 'RULE_VIOLATION', rule: 'INVALID_TRANSITION', reason: 'PoP par1 is PLANNED at 2026-03-05T00:00:00.000Z; workloads are placed only at LIVE PoPs', eventIds: [] },
      ],
    });
    assert.equal(await store.countAfter(null), before);
  });

  it('commits a valid plan as real commands (derived commandId, source scenario, the committer as actor), read your writes; committing again changes nothing', async () => {
    const planned = await scenario('q2', at('2026-05-01'));
    await ok('removeScenarioStep', { scenarioId: 'q2', stepId: 'srv-2' });
    await ok('removeScenarioStep', { scenarioId: 'q2', stepId: 'crm-par' }, 'planner');
    const before = await store.countAfter(null);
    const first = await commit('q2');
    assert.deepEqual([first.committed, first.projected, first.dryRun], [true, true, false]);
    assert.deepEqual(first.results.map((r: any) => [r.stepId, r.status, r.eventIds.length]), [
      ['srv-1', 'accepted', 1], ['srv-3', 'accepted', 1], ['ix', 'accepted', 1], ['new-pop', 'accepted', 1], ['par-live', 'accepted', 1], ['crm-par-2', 'accepted', 1],
    ]);
    assert.equal(await store.countAfter(null), before + 7); // six steps and ScenarioCommitted
    const events = [...(await store.readStream('pop-fra1')), ...(await store.readStream('pop-par1')), ...(await store.readStream('workload-crm'))].filter((e) => e.metadata.source === 'scenario');
    assert.deepEqual(new Set(events.map((e) => e.eventId)), new Set(first.results.flatMap((r: any) => r.eventIds)));
    for (const event of events) {
      assert.deepEqual([event.metadata.actor, event.metadata.correlationId], ['planner', 'scenario-q2']);
      const stepId = first.results.find((r: any) => r.eventIds.includes(event.eventId)).stepId;
      assert.equal(event.metadata.commandId, stepCommandId('q2', stepId));
    }
    // Read your writes: the read models answer what the evaluation said "after" would be.
    for (const impact of planned.impact) {
      const read = await app.gql(READ_BACK, { popId: impact.popId, asOf: at('2026-05-01') });
      assert.deepEqual(read.data.capacity, impact.after, impact.popId);
      assert.deepEqual(read.data.cost, impact.costAfter, impact.popId);
    }
    const committed = await scenario('q2', at('2026-05-01'));
    assert.deepEqual([committed.status, committed.valid], ['COMMITTED', true]);
    assert.ok(committed.steps.every((step: any) => step.outcome === 'ACCEPTED' && step.recorded));
    assert.deepEqual(committed.impact.map((i: any) => i.after), committed.impact.map((i: any) => i.before));

    const second = await commit('q2');
    assert.deepEqual(second.results, first.results.map((r: any) => ({ ...r, status: 'duplicate' })));
    assert.equal(second.committed, true);
    assert.equal(await store.countAfter(null), before + 7);

    const closed = await fails('addScenarioSteps', { scenarioId: 'q2', steps: [{ stepId: 'late', activatePop: { popId: 'fra1' } }] });
    assert.deepEqual([closed.extensions.code, closed.extensions.rule], ['RULE_VIOLATION', 'SCENARIO_CLOSED']);
    assert.equal((await fails('discardScenario', { scenarioId: 'q2' })).extensions.rule, 'SCENARIO_CLOSED');
    assert.equal((await fails('removeScenarioStep', { scenarioId: 'q2', stepId: 'ix' })).extensions.rule, 'SCENARIO_CLOSED');
  });

  it('blocks the commit of a step that a later real command made invalid, with its rule', async () => {
    await ok('createScenario', { scenarioId: 'late', name: 'Late' });
    await ok('addScenarioSteps', { scenarioId: 'late', steps: [{ stepId: 'a', installDevice: device('d7', 20, 500, '2026-06-01') }, { stepId: 'b', installDevice: device('d8', 30, 500, '2026-06-01') }] });
    assert.equal((await scenario('late')).valid, true);
    await ok('installDevice', device('real', 20, 500, '2026-05-20')); // takes U20-21 first
    const s = await scenario('late');
    assert.deepEqual(s.steps.map((step: any) => [step.stepId, step.outcome, step.rule]), [['a', 'REJECTED', 'SPACE_OVERLAP'], ['b', 'ACCEPTED', null]]);
    const before = await store.countAfter(null);
    const result = await commit('late');
    assert.deepEqual([result.committed, result.results.map((r: any) => [r.stepId, r.status, r.rule])], [false, [['a', 'rejected', 'SPACE_OVERLAP']]]);
    assert.equal(await store.countAfter(null), before);
  });

  it('completes an interrupted commit: steps already recorded answer duplicate, the rest are recorded', async () => {
    await ok('createScenario', { scenarioId: 'resume', name: 'Resume' });
    const steps = [
      { stepId: 'a', installDevice: device('d20', 36, 100, '2026-07-01') },
      { stepId: 'b', connectCarrier: { popId: 'fra1', circuitId: 'c20', carrier: 'Cogent', type: 'TRANSIT', bandwidthMbps: 1000, monthlyCost: EUR('100'), effectiveAt: at('2026-07-01') } },
      { stepId: 'c', registerWorkload: { workloadId: 'erp', tenant: 'acme', name: 'ERP', dataCategories: ['PAYMENT'], effectiveAt: at('2026-07-01') } },
      { stepId: 'd', placeWorkload: { workloadId: 'erp', popId: 'fra1', role: 'PRIMARY', effectiveAt: at('2026-07-02') } },
    ];
    await ok('addScenarioSteps', { scenarioId: 'resume', steps });
    // A commit that stopped after the workload stream: its steps were recorded under their derived commandIds.
    await ok('registerWorkload', { ...steps[2].registerWorkload, commandId: stepCommandId('resume', 'c') });
    await ok('placeWorkload', { ...steps[3].placeWorkload, commandId: stepCommandId('resume', 'd') });
    const s = await scenario('resume');
    assert.deepEqual(s.steps.map((step: any) => [step.stepId, step.outcome, step.recorded]), [['a', 'ACCEPTED', false], ['b', 'ACCEPTED', false], ['c', 'ACCEPTED', true], ['d', 'ACCEPTED', true]]);
    const result = await commit('resume');
    assert.deepEqual([result.committed, result.results.map((r: any) => r.status)], [true, ['accepted', 'accepted', 'duplicate', 'duplicate']]);
  });

  it('discards, lists with status and pages (scenarios)', async () => {
    await ok('createScenario', { scenarioId: 'old', name: 'Old idea' });
    await ok('discardScenario', { scenarioId: 'old' });
    const LIST = `query($status: [ScenarioStatus!], $first: Int, $after: String) { scenarios(status: $status, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { scenarioId name status createdBy stepCount valid } } } }`;
    const all = await app.gql(LIST, {}, 'compliance');
    assert.equal(all.errors, undefined, JSON.stringify(all.errors));
    assert.deepEqual(all.data.scenarios.edges.map((e: any) => [e.node.scenarioId, e.node.status, e.node.stepCount]), [
      ['late', 'OPEN', 2], ['old', 'DISCARDED', 0], ['q2', 'COMMITTED', 6], ['resume', 'COMMITTED', 4],
    ]);
    assert.equal(all.data.scenarios.totalCount, 4);
    assert.equal(all.data.scenarios.edges[0].node.valid, false);
    const open = await app.gql(LIST, { status: ['OPEN', 'DISCARDED'], first: 1 });
    assert.deepEqual([open.data.scenarios.totalCount, open.data.scenarios.pageInfo.hasNextPage, open.data.scenarios.edges[0].node.scenarioId], [2, true, 'late']);
    const next = await app.gql(LIST, { status: ['OPEN', 'DISCARDED'], first: 1, after: open.data.scenarios.pageInfo.endCursor });
    assert.deepEqual([next.data.scenarios.pageInfo.hasNextPage, next.data.scenarios.edges.map((e: any) => e.node.scenarioId)], [false, ['old']]);
    const discarded = await scenario('old');
    assert.deepEqual([discarded.status, discarded.valid, discarded.steps, discarded.impact], ['DISCARDED', true, [], []]);
    const commitDiscarded = await app.gql(COMMIT, { input: { scenarioId: 'old' } });
    assert.deepEqual([commitDiscarded.errors?.[0].extensions.code, commitDiscarded.errors?.[0].extensions.rule], ['RULE_VIOLATION', 'SCENARIO_CLOSED']);
    const commitUnknown = await app.gql(COMMIT, { input: { scenarioId: 'nope' } });
    assert.equal(commitUnknown.errors?.[0].extensions.code, 'NOT_FOUND');
    assert.equal((await app.gql(`{ scenario(scenarioId: "nope") { name } }`)).data.scenario, null);
  });

  it('pins the scenario revision on commit (expectedRevision)', async () => {
    await ok('createScenario', { scenarioId: 'pinned', name: 'Pinned' });
    await ok('addScenarioSteps', { scenarioId: 'pinned', steps: [{ stepId: 'a', connectCarrier: { popId: 'fra1', circuitId: 'c30', carrier: 'x', type: 'TRANSIT', bandwidthMbps: 100, monthlyCost: EUR('1') } }] });
    const conflict = await app.gql(COMMIT, { input: { scenarioId: 'pinned', expectedRevision: 0 } });
    assert.deepEqual([conflict.errors?.[0].extensions.code, conflict.errors?.[0].extensions.actualRevision], ['CONFLICT', 1]);
    assert.equal((await commit('pinned', { expectedRevision: 1 })).committed, true);
  });

  it('allows scenario mutations to admin and planner, and scenario queries to viewer and compliance too', async () => {
    for (const role of ['procurement', 'compliance', 'viewer'] as const) {
      const denied = await app.gql(mutation('createScenario'), { input: { scenarioId: `by-${role}`, name: 'x' } }, role);
      assert.equal(denied.errors?.[0].extensions.code, 'FORBIDDEN', role);
      assert.equal((await app.gql(COMMIT, { input: { scenarioId: 'late' } }, role)).errors?.[0].extensions.code, 'FORBIDDEN', role);
    }
    assert.equal((await app.gql(`{ scenario(scenarioId: "late") { name } }`, {}, 'procurement')).errors?.[0].extensions.code, 'FORBIDDEN');
    assert.equal((await app.gql(`{ scenarios { totalCount } }`, {}, 'procurement')).errors?.[0].extensions.code, 'FORBIDDEN');
    for (const role of ['compliance', 'viewer', 'planner'] as const) {
      assert.equal((await app.gql(`{ scenario(scenarioId: "late") { name } scenarios { totalCount } }`, {}, role)).errors, undefined, role);
    }
  });

  it('evaluates again from what it kept only while neither the scenario nor the PoPs it names moved', async () => {
    for (const [name, input] of physicalPopSetup('ams1')) await ok(name, input);
    await ok('createScenario', { scenarioId: 'kept', name: 'Kept' });
    const steps = [
      { stepId: 'a', installDevice: device('k1', 10, 500, '2026-06-01', 'ams1') },
      { stepId: 'b', installDevice: device('k2', 10, 500, '2026-06-02', 'ams1') }, // the U of k1: rejected while a is in the plan
    ];
    await ok('addScenarioSteps', { scenarioId: 'kept', steps });
    const evaluated = async () => {
      const s = await scenario('kept', at('2026-07-01'));
      const [ams1] = s.impact;
      return { valid: s.valid, steps: s.steps.map((step: any) => [step.stepId, step.outcome, step.rule]), usedU: [ams1.before.space.usedU, ams1.after.space.usedU] };
    };
    const first = await scenario('kept', at('2026-07-01'));
    assert.deepEqual(await scenario('kept', at('2026-07-01')), first);
    assert.deepEqual(await evaluated(), { valid: false, steps: [['a', 'ACCEPTED', null], ['b', 'REJECTED', 'SPACE_OVERLAP']], usedU: [0, 2] });
    // A new revision of the scenario.
    await ok('addScenarioSteps', { scenarioId: 'kept', steps: [{ stepId: 'c', installDevice: device('k3', 12, 500, '2026-06-03', 'ams1') }] });
    assert.deepEqual(await evaluated(), { valid: false, steps: [['a', 'ACCEPTED', null], ['b', 'REJECTED', 'SPACE_OVERLAP'], ['c', 'ACCEPTED', null]], usedU: [0, 4] });
    // A new event of the PoP.
    await ok('installDevice', device('k4', 12, 500, '2026-05-01', 'ams1'));
    assert.deepEqual(await evaluated(), { valid: false, steps: [['a', 'ACCEPTED', null], ['b', 'REJECTED', 'SPACE_OVERLAP'], ['c', 'REJECTED', 'SPACE_OVERLAP']], usedU: [2, 4] });
    await ok('removeScenarioStep', { scenarioId: 'kept', stepId: 'a' });
    assert.deepEqual(await evaluated(), { valid: false, steps: [['b', 'ACCEPTED', null], ['c', 'REJECTED', 'SPACE_OVERLAP']], usedU: [2, 4] });
  });
});
