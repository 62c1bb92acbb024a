import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { startTestApp, TestApp } from '../../support/test-app';
import { postRecords } from '../../procurement/procurement-client';

const EUR = (amount: string) => ({ amount, currency: 'EUR' });
const at = (date: string) => `${date}T00:00:00.000Z`;
const RESULT = 'streamId revision position eventIds duplicate projected dryRun wouldRecord { type streamId effectiveAt data }';
const document = (name: string) => `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${RESULT} } }`;

const pop = { popId: 'dry1' };
/**
 * Every mutation that answers CommandResult, in an order in which each one, sent for real, is accepted:
 * the dry run first must answer what the real one then records.
 */
const SEQUENCE: Array<[string, Record<string, unknown>]> = [
  ['registerPop', { ...pop, code: 'DRY1', name: 'Dry', kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'DE', effectiveAt: at('2026-01-01') }],
  ['leaseSite', { ...pop, leaseId: 'l1', startsOn: '2026-01-01', monthlyCost: EUR('1000'), contractedPowerKw: 50, effectiveAt: at('2026-01-01') }],
  ['terminateLease', { ...pop, leaseId: 'l1', endsOn: '2030-12-31', effectiveAt: at('2026-01-02') }],
  ['startBuildOut', { ...pop, effectiveAt: at('2026-01-03') }],
  ['installRack', { ...pop, rackId: 'r1', effectiveAt: at('2026-01-04') }],
  ['addPowerFeed', { ...pop, feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32, monthlyCost: EUR('90'), effectiveAt: at('2026-01-05') }],
  ['installDevice', { ...pop, deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 500, effectiveAt: at('2026-01-06') }],
  ['connectCarrier', { ...pop, circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 1000, monthlyCost: EUR('300'), effectiveAt: at('2026-01-07') }],
  ['reserveCapacity', { ...pop, reservationId: 'x1', resource: 'SPACE_U', amount: 2, from: at('2026-01-08'), effectiveAt: at('2026-01-08') }],
  ['releaseReservation', { ...pop, reservationId: 'x1', effectiveAt: at('2026-01-09') }],
  ['activatePop', { ...pop, effectiveAt: at('2026-01-10') }],
  ['registerWorkload', { workloadId: 'w1', tenant: 't', name: 'db', dataCategories: ['PERSONAL'], effectiveAt: at('2026-01-10') }],
  ['placeWorkload', { workloadId: 'w1', popId: 'dry1', role: 'PRIMARY', effectiveAt: at('2026-01-11') }],
  ['withdrawWorkload', { workloadId: 'w1', popId: 'dry1', effectiveAt: at('2026-01-12') }],
  ['defineResidencyPolicy', { policyId: 'p1', name: 'EU only', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', allowedGroups: ['EU'], effectiveAt: at('2026-01-01') }],
  ['retireResidencyPolicy', { policyId: 'p1', effectiveAt: at('2026-02-01') }],
  ['setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.9' }], effectiveAt: at('2026-01-01') }],
  ['disconnectCarrier', { ...pop, circuitId: 'c1', effectiveAt: at('2026-02-01') }],
  ['removeDevice', { ...pop, deviceId: 'd1', effectiveAt: at('2026-02-01') }],
  ['removePowerFeed', { ...pop, feedId: 'f1', effectiveAt: at('2026-02-02') }],
  ['removeRack', { ...pop, rackId: 'r1', effectiveAt: at('2026-02-03') }],
  ['startDecommission', { ...pop, effectiveAt: at('2026-03-01') }],
  ['closePop', { ...pop, effectiveAt: at('2026-04-01') }],
  ['createScenario', { scenarioId: 'plan1', name: 'Plan', description: 'what if', effectiveAt: at('2026-05-01') }],
  ['addScenarioSteps', { scenarioId: 'plan1', steps: [{ stepId: 'a', registerPop: { popId: 'dry2', code: 'DRY2', name: 'Dry 2', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'FR' } }, { stepId: 'b', activatePop: { popId: 'dry2' } }], effectiveAt: at('2026-05-01') }],
  ['removeScenarioStep', { scenarioId: 'plan1', stepId: 'b', effectiveAt: at('2026-05-01') }],
  ['discardScenario', { scenarioId: 'plan1', effectiveAt: at('2026-05-01') }],
];

/**
 * Dry runs (docs/api.md, "Dry runs"): every mutation takes `dryRun`, decides exactly like the real
 * command, and appends nothing; the procurement webhook's `?dryRun=true` likewise.
 */
describe('dry runs over GraphQL', () => {
  let app: TestApp;
  let store: EventStore;
  const count = () => store.countAfter(null);

  before(async () => {
    app = await startTestApp({}, { READ_YOUR_WRITES_TIMEOUT_MS: '60000' });
    store = app.app.get<EventStore>(EVENT_STORE);
  });
  after(() => app.close());

  it('every mutation input takes dryRun (a Boolean defaulting to false)', async () => {
    const { data } = await app.gql(`{ __schema { mutationType { fields { name args { name type { ofType { name inputFields { name defaultValue type { name } } } } } } } } }`);
    const fields: Array<{ name: string; args: Array<{ name: string; type: { ofType: { inputFields: Array<{ name: string; defaultValue: string; type: { name: string } }> } | null } }> }> = data.__schema.mutationType.fields;
    // API keys and webhook subscriptions are settings, not facts of the ledger: they act now and take no dryRun.
    const settings = ['createApiKey', 'revokeApiKey', 'createWebhookSubscription', 'deleteWebhookSubscription', 'redeliverDeadLetters'];
    const withInput = fields.filter((field) => field.args.some((arg) => arg.name === 'input') && !settings.includes(field.name));
    assert.deepEqual(fields.filter((field) => !withInput.includes(field)).map((field) => field.name).sort(), ['rebuildProjections', ...settings].sort());
    for (const field of withInput) {
      const dryRun = field.args.find((arg) => arg.name === 'input')?.type.ofType?.inputFields.find((input) => input.name === 'dryRun');
      assert.deepEqual(dryRun && { type: dryRun.type.name, defaultValue: dryRun.defaultValue }, { type: 'Boolean', defaultValue: 'false' }, field.name);
    }
    // Every mutation with a CommandResult is in the sequence below; commitScenario has its own test.
    assert.deepEqual(withInput.map((field) => field.name).filter((name) => name !== 'commitScenario').sort(), SEQUENCE.map(([name]) => name).sort());
  });

  it('decides every mutation like the real one and appends nothing: the real one then records exactly what the dry run said', async () => {
    for (const [name, input] of SEQUENCE) {
      const before = await count();
      const dry = await app.gql(document(name), { input: { ...input, dryRun: true } });
      assert.equal(dry.errors, undefined, `${name} (dry run): ${JSON.stringify(dry.errors)}`);
      assert.equal(await count(), before, `${name}: a dry run appended`);
      const planned = dry.data[name];
      const revision = (await store.streamRevision(planned.streamId)) ?? -1;
      assert.deepEqual({ ...planned, wouldRecord: [] }, { streamId: planned.streamId, revision, position: '', eventIds: [], duplicate: false, projected: false, dryRun: true, wouldRecord: [] }, name);
      assert.ok(planned.wouldRecord.length > 0, `${name}: nothing would be recorded`);

      const real = await app.gql(document(name), { input });
      assert.equal(real.errors, undefined, `${name}: ${JSON.stringify(real.errors)}`);
      const result = real.data[name];
      assert.deepEqual([result.dryRun, result.wouldRecord, result.projected], [false, [], true], name);
      const recorded = (await store.readStream(result.streamId)).filter((event) => result.eventIds.includes(event.eventId));
      assert.deepEqual(recorded.map(asPlanned), planned.wouldRecord, `${name}: the real command recorded something else`);
    }
  });

  it('answers a rule violation, a conflict and an unknown stream exactly like the real command', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['installRack', { popId: 'dry1', rackId: 'r9', effectiveAt: at('2026-05-01') }], // CLOSED PoP
      ['installRack', { popId: 'dry1', rackId: 'r1', effectiveAt: at('2026-01-20') }], // id used before
      ['installRack', { popId: 'dry1', rackId: 'r10', expectedRevision: 3 }],
      ['activatePop', { popId: 'nowhere' }],
      ['addScenarioSteps', { scenarioId: 'plan1', steps: [{ stepId: 'c', activatePop: { popId: 'dry1' } }] }], // discarded
    ];
    for (const [name, input] of cases) {
      const before = await count();
      const dry = await app.gql(document(name), { input: { ...input, dryRun: true } });
      const real = await app.gql(document(name), { input });
      assert.ok(real.errors?.length, `${name} should fail`);
      assert.deepEqual(dry.errors, real.errors, name);
      assert.equal(await count(), before);
    }
  });

  it('remembers no commandId, and answers a known one as a duplicate without event ids', async () => {
    const input = { popId: 'dry3', code: 'DRY3', name: 'Dry 3', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE', commandId: 'dry3-register' };
    const dry = await app.gql(document('registerPop'), { input: { ...input, dryRun: true } });
    assert.equal(dry.data.registerPop.duplicate, false);
    const real = await app.gql(document('registerPop'), { input });
    assert.equal(real.data.registerPop.duplicate, false, 'the dry run remembered its commandId');
    assert.equal(real.data.registerPop.eventIds.length, 1);
    const again = await app.gql(document('registerPop'), { input: { ...input, dryRun: true } });
    assert.deepEqual(again.data.registerPop, { streamId: 'pop-dry3', revision: 0, position: '', eventIds: [], duplicate: true, projected: false, dryRun: true, wouldRecord: [] });
  });

  it('takes dryRun on commitScenario: evaluated, nothing recorded, each step says what would happen', async () => {
    await app.gql(document('createScenario'), { input: { scenarioId: 'plan2', name: 'Plan 2' } });
    await app.gql(document('addScenarioSteps'), { input: { scenarioId: 'plan2', steps: [{ stepId: 'a', registerPop: { popId: 'dry4', code: 'DRY4', name: 'Dry 4', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'FR' } }] } });
    const before = await count();
    const dry = await app.gql(`mutation { commitScenario(input: { scenarioId: "plan2", dryRun: true }) { scenarioId committed projected dryRun results { stepId status code rule reason eventIds } } }`);
    assert.deepEqual(dry.data.commitScenario, {
      scenarioId: 'plan2', committed: false, projected: false, dryRun: true,
      results: [{ stepId: 'a', status: 'accepted', code: null, rule: null, reason: null, eventIds: [] }],
    });
    assert.equal(await count(), before);
    const status = await app.gql(`{ scenario(scenarioId: "plan2") { status } }`);
    assert.equal(status.data.scenario.status, 'OPEN');
  });

  it('takes ?dryRun=true on the procurement webhook: every record decided in order, nothing recorded', async () => {
    await app.gql(document('registerPop'), { input: { popId: 'dry5', code: 'DRY5', name: 'Dry 5', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE', effectiveAt: at('2026-01-01') } });
    const records = [
      { externalId: 'DRY-1', kind: 'LEASE_SIGNED', occurredAt: at('2026-01-02'), popId: 'dry5', leaseId: 'l1', startsOn: '2026-01-02', monthlyCost: EUR('100') },
      { externalId: 'DRY-2', kind: 'LEASE_SIGNED', occurredAt: at('2026-01-03'), popId: 'dry5', leaseId: 'l1', startsOn: '2026-01-03', monthlyCost: EUR('100') },
      { externalId: 'DRY-3', kind: 'LEASE_ENDED', occurredAt: at('2026-01-04'), popId: 'dry5', leaseId: 'l1', endsOn: '2026-12-31' },
      { externalId: 'DRY-4', kind: 'CIRCUIT_CEASED', occurredAt: at('2026-01-04'), popId: 'nowhere', circuitId: 'c1' },
      { externalId: 'DRY-5', kind: 'LEASE_ENDED', occurredAt: at('2026-01-04'), popId: 'dry5', leaseId: 'l1', endsOn: '2026-12-31', dryRun: false },
    ];
    const before = await count();
    const dry = await postRecords(app.url, { records }, { role: 'admin', query: '?dryRun=true' });
    assert.equal(dry.status, 200);
    assert.equal(await count(), before);
    const { results, ...counts } = dry.body;
    assert.deepEqual(counts, { accepted: 2, duplicates: 0, rejected: 3, projected: false, dryRun: true });
    assert.deepEqual(results.map((r: any) => [r.externalId, r.status, r.rule ?? r.code ?? null, r.eventIds]), [
      ['DRY-1', 'accepted', null, []],
      ['DRY-2', 'rejected', 'DUPLICATE_ID', []], // sees DRY-1's lease
      ['DRY-3', 'accepted', null, []],
      ['DRY-4', 'rejected', 'NOT_FOUND', []],
      ['DRY-5', 'rejected', 'BAD_USER_INPUT', []], // a record cannot ask for a dry run of its own
    ]);
    // For real, the same batch answers the same statuses.
    const real = await postRecords(app.url, { records: records.slice(0, 4) }, { role: 'admin', query: '?dryRun=false' });
    assert.deepEqual(real.body.results.map((r: any) => r.status), ['accepted', 'rejected', 'accepted', 'rejected']);
    assert.equal(await count(), before + 2);
    const bad = await postRecords(app.url, { records }, { role: 'admin', query: '?dryRun=yes' });
    assert.deepEqual([bad.status, bad.body.code, bad.body.fields], [400, 'BAD_USER_INPUT', [{ field: 'dryRun', message: 'dryRun must be true or false' }]]);
  });
});

function asPlanned(event: RecordedEvent) {
  return { type: event.type, streamId: event.streamId, effectiveAt: event.metadata.effectiveAt, data: event.data };
}
