import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyProjected, EUR, mutation, physicalPopSetup } from '../support/fixtures';
import { PATIENT_READS, startTestApp, TestApp } from '../support/test-app';

const USD = (amount: string) => ({ amount, currency: 'USD' });
const MONEY = 'amount currency';
const POP_COST = `popId asOf monthlyRecurring { ${MONEY} } byCategory { category monthlyRecurring { ${MONEY} } } oneOff { ${MONEY} }
  converted { ${MONEY} } costPerUsableKw { ${MONEY} } costPerU { ${MONEY} } costPerMbps { ${MONEY} }`;
const COST = `query($popId: ID!, $asOf: DateTime, $currency: String) { cost(popId: $popId, asOf: $asOf, currency: $currency) { ${POP_COST} } }`;
const SUMMARY = `query($groupBy: CostGroupBy!, $asOf: DateTime, $currency: String) {
  costSummary(groupBy: $groupBy, asOf: $asOf, currency: $currency) { key popCount monthlyRecurring { ${MONEY} } converted { ${MONEY} } } }`;

/**
 * The cost queries end to end: mutations over GraphQL (answered once projected), then exact answers,
 * unit costs from the planning side's capacity (one 42 U rack fed A+B, usable 5.5936 kW; a 10 Gbps circuit).
 */
describe('cost over GraphQL', () => {
  let app: TestApp;

  const ok = (name: string, input: Record<string, unknown>) => applyProjected(app, name, input);

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    for (const [name, input] of physicalPopSetup('fra1')) await ok(name, input);
    await ok('connectCarrier', { popId: 'fra1', circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10000, monthlyCost: USD('1500'), oneOffCost: USD('250'), effectiveAt: '2026-01-15T00:00:00Z' });
    await ok('installDevice', { popId: 'fra1', deviceId: 'd1', rackId: 'r1', role: 'ROUTER', positionU: 1, heightU: 2, powerDrawWatts: 800, purchaseCost: EUR('20000'), effectiveAt: '2026-01-20T00:00:00Z' });
    await ok('setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.9' }, { currency: 'GBP', toBase: '1.15' }], effectiveAt: '2026-01-01T00:00:00Z' });
    await ok('setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.95' }], effectiveAt: '2026-03-01T00:00:00Z' });
  });
  after(() => app.close());

  it('answers a PoP cost with conversion and unit costs', async () => {
    const response = await app.gql(COST, { popId: 'fra1', asOf: '2026-02-01T00:00:00Z', currency: 'EUR' }, 'viewer');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(response.data.cost, {
      popId: 'fra1',
      asOf: '2026-02-01T00:00:00.000Z',
      monthlyRecurring: [EUR('10000.00'), USD('1500.00')],
      byCategory: [
        { category: 'LEASE', monthlyRecurring: [EUR('10000.00')] },
        { category: 'POWER', monthlyRecurring: [] },
        { category: 'CONNECTIVITY', monthlyRecurring: [USD('1500.00')] },
        { category: 'CLOUD', monthlyRecurring: [] },
      ],
      oneOff: [],
      converted: EUR('11350.00'),
      costPerUsableKw: EUR('2029.1047'),
      costPerU: EUR('270.2381'),
      costPerMbps: EUR('1.135'),
    });
  });

  it('lists one-off costs in their month, converts with the rates at asOf, leaves unit costs out for a mixed PoP', async () => {
    const january = await app.gql(COST, { popId: 'fra1', asOf: '2026-01-31T23:59:59Z' }, 'planner');
    assert.deepEqual(january.data.cost.oneOff, [EUR('20000.00'), USD('250.00')]);
    assert.equal(january.data.cost.converted, null);
    assert.deepEqual([january.data.cost.costPerUsableKw, january.data.cost.costPerU, january.data.cost.costPerMbps], [null, null, null]);
    const march = await app.gql(COST, { popId: 'fra1', asOf: '2026-03-01T00:00:00Z', currency: 'USD' });
    assert.deepEqual(march.data.cost.converted, USD('12026.3158'));
    const unknown = await app.gql(COST, { popId: 'nowhere' });
    assert.deepEqual(unknown.data, { cost: null });
  });

  it('summarises by region with the converted total', async () => {
    const response = await app.gql(SUMMARY, { groupBy: 'REGION', asOf: '2026-02-01T00:00:00Z', currency: 'EUR' }, 'compliance');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(response.data.costSummary, [{ key: 'EMEA', popCount: 1, monthlyRecurring: [EUR('10000.00'), USD('1500.00')], converted: EUR('11350.00') }]);
  });

  it('rejects a bad currency, names a missing rate, and keeps procurement out', async () => {
    const bad = await app.gql(COST, { popId: 'fra1', currency: 'EURO' });
    assert.equal(bad.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(bad.errors?.[0].extensions.fields.map((f: { field: string }) => f.field), ['currency']);
    const missing = await app.gql(SUMMARY, { groupBy: 'POP', asOf: '2026-02-01T00:00:00Z', currency: 'JPY' });
    assert.equal(missing.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(missing.errors?.[0].extensions.fields, [{ field: 'currency', message: 'no exchange rate for EUR to JPY at 2026-02-01T00:00:00.000Z' }]);
    const forbidden = await app.gql(COST, { popId: 'fra1' }, 'procurement');
    assert.equal(forbidden.errors?.[0].extensions.code, 'FORBIDDEN');
  });

  it('validates setExchangeRates input', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ base: 'EUR', rates: [] }, 'rates'],
      [{ base: 'EUR', rates: [{ currency: 'EUR', toBase: '1' }] }, 'rates'],
      [{ base: 'EUR', rates: [{ currency: 'USD', toBase: '0.9' }, { currency: 'USD', toBase: '0.91' }] }, 'rates'],
      [{ base: 'EUR', rates: [{ currency: 'USD', toBase: '0' }] }, 'rates.0.toBase'],
      [{ base: 'EURO', rates: [{ currency: 'XYZ', toBase: '1' }] }, 'base'],
    ];
    for (const [input, field] of cases) {
      const response = await app.gql(mutation('setExchangeRates'), { input });
      assert.equal(response.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(input));
      assert.ok(response.errors?.[0].extensions.fields.some((f: { field: string }) => f.field === field), JSON.stringify(response.errors));
    }
  });
});
