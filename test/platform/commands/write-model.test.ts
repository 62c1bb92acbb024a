import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStorage, startTestApp, TestApp } from '../../support/test-app';
import { EUR, mutation, physicalPopSetup } from '../../support/fixtures';

async function run(app: TestApp, name: string, input: Record<string, unknown>, role: Parameters<TestApp['gql']>[2] = 'admin') {
  return app.gql(mutation(name), { input }, role);
}

async function ok(app: TestApp, name: string, input: Record<string, unknown>) {
  const response = await run(app, name, input);
  assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
  return response.data[name];
}

describe('write model over GraphQL', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('runs every inventory mutation on a physical PoP', async () => {
    for (const [name, input] of physicalPopSetup('fra1')) await ok(app, name, input);
    const at = '2026-02-01T00:00:00Z';
    await ok(app, 'startBuildOut', { popId: 'fra1', effectiveAt: at });
    await ok(app, 'installDevice', { popId: 'fra1', deviceId: 'd1', rackId: 'r1', role: 'ROUTER', positionU: 1, heightU: 2, powerDrawWatts: 800, purchaseCost: EUR('20000'), effectiveAt: at });
    await ok(app, 'connectCarrier', { popId: 'fra1', circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10000, monthlyCost: EUR('1500'), effectiveAt: at });
    await ok(app, 'reserveCapacity', { popId: 'fra1', reservationId: 'res1', resource: 'SPACE_U', amount: 4, from: at, until: '2026-06-01T00:00:00Z', effectiveAt: at });
    await ok(app, 'activatePop', { popId: 'fra1', effectiveAt: '2026-03-01T00:00:00Z' });
    await ok(app, 'releaseReservation', { popId: 'fra1', reservationId: 'res1', effectiveAt: '2026-03-02T00:00:00Z' });
    await ok(app, 'disconnectCarrier', { popId: 'fra1', circuitId: 'c1', effectiveAt: '2026-04-01T00:00:00Z' });
    await ok(app, 'removeDevice', { popId: 'fra1', deviceId: 'd1', effectiveAt: '2026-04-01T00:00:00Z' });
    await ok(app, 'removePowerFeed', { popId: 'fra1', feedId: 'r1-a', effectiveAt: '2026-04-02T00:00:00Z' });
    await ok(app, 'removePowerFeed', { popId: 'fra1', feedId: 'r1-b', effectiveAt: '2026-04-02T00:00:00Z' });
    await ok(app, 'removeRack', { popId: 'fra1', rackId: 'r1', effectiveAt: '2026-04-03T00:00:00Z' });
    await ok(app, 'startDecommission', { popId: 'fra1', effectiveAt: '2026-05-01T00:00:00Z' });
    await ok(app, 'terminateLease', { popId: 'fra1', leaseId: 'fra1-l1', endsOn: '2026-05-31', effectiveAt: '2026-05-01T00:00:00Z' });
    const closed = await ok(app, 'closePop', { popId: 'fra1', effectiveAt: '2026-06-01T00:00:00Z' });
    assert.equal(closed.streamId, 'pop-fra1');
    assert.equal(closed.revision, 18);
    assert.equal(closed.duplicate, false);
    const history = await app.gql('{ history(streamId: "pop-fra1", first: 3) { totalCount edges { node { type revision actor source effectiveAt } } pageInfo { hasNextPage } } }', {}, 'compliance');
    assert.equal(history.data.history.totalCount, 19);
    assert.deepEqual(history.data.history.edges.map((e: any) => e.node), [
      { type: 'PopRegistered', revision: 0, actor: 'admin', source: 'graphql', effectiveAt: '2026-01-01T00:00:00.000Z' },
      { type: 'SiteLeased', revision: 1, actor: 'admin', source: 'graphql', effectiveAt: '2026-01-01T00:00:00.000Z' },
      { type: 'RackInstalled', revision: 2, actor: 'admin', source: 'graphql', effectiveAt: '2026-01-01T00:00:00.000Z' },
    ]);
    assert.equal(history.data.history.pageInfo.hasNextPage, true);
  });

  it('runs the virtual PoP, workload, policy and FX mutations', async () => {
    await ok(app, 'registerPop', { popId: 'aws-euc1', code: 'AWS-EUC1', name: 'AWS Frankfurt', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE', provider: 'AWS', cloudRegion: 'eu-central-1', monthlyCost: EUR('3000'), effectiveAt: '2026-01-01T00:00:00Z' });
    await ok(app, 'activatePop', { popId: 'aws-euc1', effectiveAt: '2026-01-02T00:00:00Z' });
    await ok(app, 'registerWorkload', { workloadId: 'crm-db', tenant: 'acme', name: 'CRM database', dataCategories: ['PERSONAL', 'PAYMENT'] });
    const placed = await ok(app, 'placeWorkload', { workloadId: 'crm-db', popId: 'aws-euc1', role: 'PRIMARY', effectiveAt: '2026-02-01T00:00:00Z' });
    assert.equal(placed.streamId, 'workload-crm-db');
    await ok(app, 'withdrawWorkload', { workloadId: 'crm-db', popId: 'aws-euc1', effectiveAt: '2026-03-01T00:00:00Z' });
    await ok(app, 'defineResidencyPolicy', { policyId: 'gdpr-personal', name: 'GDPR personal data', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PERSONAL', allowedGroups: ['EEA', 'EU_ADEQUACY'], deniedCountries: ['US'] });
    await ok(app, 'retireResidencyPolicy', { policyId: 'gdpr-personal' });
    const fx = await ok(app, 'setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.92' }, { currency: 'GBP', toBase: '1.17' }] });
    assert.equal(fx.streamId, 'fx-rates');
  });

  it('answers rule violations with their rule code and appends nothing', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['installRack', { popId: 'aws-euc1', rackId: 'rx' }, 'INVALID_TRANSITION'],
      ['registerPop', { popId: 'aws-euc1', code: 'X', name: 'dup', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE' }, 'DUPLICATE_ID'],
      ['placeWorkload', { workloadId: 'crm-db', popId: 'fra1', role: 'PRIMARY', effectiveAt: '2026-07-01T00:00:00Z' }, 'INVALID_TRANSITION'],
    ];
    for (const [name, input, rule] of cases) {
      const before = await app.gql('query($s: ID!) { history(streamId: $s, first: 0) { totalCount } }', { s: name === 'placeWorkload' ? 'workload-crm-db' : 'pop-aws-euc1' });
      const response = await run(app, name, input);
      assert.equal(response.errors?.[0].extensions.code, 'RULE_VIOLATION', JSON.stringify(response.errors));
      assert.equal(response.errors?.[0].extensions.rule, rule);
      const afterwards = await app.gql('query($s: ID!) { history(streamId: $s, first: 0) { totalCount } }', { s: name === 'placeWorkload' ? 'workload-crm-db' : 'pop-aws-euc1' });
      assert.equal(afterwards.data.history.totalCount, before.data.history.totalCount);
    }
  });

  it('answers NOT_FOUND for a command on an unknown PoP', async () => {
    const response = await run(app, 'installRack', { popId: 'nowhere', rackId: 'r1' });
    assert.equal(response.errors?.[0].extensions.code, 'NOT_FOUND');
  });

  it('rejects each bad field with BAD_USER_INPUT and lists the fields', async () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['registerPop', { popId: 'bad id!', code: 'C', name: 'n', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'XK' }, ['popId', 'countryCode']],
      ['registerPop', { popId: 'p', code: 'C', name: 'x'.repeat(201), kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'AN' }, ['name', 'countryCode']],
      ['leaseSite', { popId: 'fra1', leaseId: 'l9', startsOn: '2026-01-01', monthlyCost: { amount: '10.12345', currency: 'EURO' } }, ['monthlyCost.amount', 'monthlyCost.currency']],
      ['addPowerFeed', { popId: 'fra1', feedId: 'f', rackId: 'r', side: 'A', phase: 'SINGLE', voltage: 0, amperage: 1001, deratingPercent: 101, powerFactor: 0.4 }, ['voltage', 'amperage', 'deratingPercent', 'powerFactor']],
      ['installDevice', { popId: 'fra1', deviceId: 'd', rackId: 'r', role: 'SERVER', positionU: 0, heightU: 61, powerDrawWatts: 100001 }, ['positionU', 'heightU', 'powerDrawWatts']],
      ['connectCarrier', { popId: 'fra1', circuitId: 'c', carrier: 'x', type: 'TRANSIT', bandwidthMbps: 10000001, monthlyCost: EUR('-1') }, ['bandwidthMbps', 'monthlyCost.amount']],
      ['reserveCapacity', { popId: 'fra1', reservationId: 'x', resource: 'SPACE_U', amount: 1, from: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }, ['until']],
      ['registerWorkload', { workloadId: 'w', tenant: 't', name: 'n', dataCategories: Array(101).fill('PUBLIC') }, ['dataCategories']],
    ];
    for (const [name, input, fields] of cases) {
      const response = await run(app, name, input);
      assert.equal(response.errors?.[0].extensions.code, 'BAD_USER_INPUT', `${name}: ${JSON.stringify(response.errors)}`);
      const reported = new Set((response.errors?.[0].extensions.fields as Array<{ field: string }>).map((f) => f.field));
      for (const field of fields) assert.ok(reported.has(field), `${name}: ${field} not in ${[...reported].join(', ')}`);
    }
  });

  it('answers a GraphQL type error (wrong variable type) with BAD_USER_INPUT, never 500', async () => {
    const response = await run(app, 'installRack', { popId: 'fra1', rackId: 'r9', heightU: 'tall' });
    assert.equal(response.status, 400);
    assert.equal(response.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  });

  it('refuses roles below the operation (FORBIDDEN) and missing or wrong keys (UNAUTHENTICATED)', async () => {
    const input = { popId: 'fra1', rackId: 'r-forbidden' };
    for (const role of ['compliance', 'viewer'] as const) {
      const response = await run(app, 'installRack', input, role);
      assert.equal(response.errors?.[0].extensions.code, 'FORBIDDEN');
    }
    const workload = await run(app, 'registerWorkload', { workloadId: 'w2', tenant: 't', name: 'n', dataCategories: ['PUBLIC'] }, 'procurement');
    assert.equal(workload.errors?.[0].extensions.code, 'FORBIDDEN');
    const policy = await run(app, 'retireResidencyPolicy', { policyId: 'gdpr-personal' }, 'planner');
    assert.equal(policy.errors?.[0].extensions.code, 'FORBIDDEN');
    assert.equal((await run(app, 'installRack', input, { header: 'Bearer wrong-secret' })).errors?.[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal((await run(app, 'installRack', input, {})).errors?.[0].extensions.code, 'UNAUTHENTICATED');
  });
});

describe('idempotency and concurrency', () => {
  it('answers a repeated commandId with the first result, also after a restart', async () => {
    const storage = await createTestStorage({ persistent: true });
    try {
      const input = { popId: 'ams1', code: 'AMS1', name: 'Amsterdam', kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'NL', commandId: 'cmd-ams1-register' };
      let app = await startTestApp({}, {}, storage);
      const first = await ok(app, 'registerPop', input);
      const again = await ok(app, 'registerPop', input);
      assert.deepEqual({ ...again, projected: first.projected }, { ...first, duplicate: true });
      await app.close();
      app = await startTestApp({}, {}, storage);
      const afterRestart = await ok(app, 'registerPop', input);
      assert.equal(afterRestart.duplicate, true);
      assert.deepEqual(afterRestart.eventIds, first.eventIds);
      const history = await app.gql('{ history(streamId: "pop-ams1") { totalCount } }');
      assert.equal(history.data.history.totalCount, 1);
      await app.close();
    } finally {
      await storage.dispose();
    }
  });

  it('loses and duplicates nothing with 50 parallel commands on one PoP, and answers CONFLICT on a stale expectedRevision', async () => {
    const app = await startTestApp();
    try {
      for (const [name, input] of physicalPopSetup('par1')) await ok(app, name, input);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => run(app, 'reserveCapacity', { popId: 'par1', reservationId: `res-${i}`, resource: 'SPACE_U', amount: 0.5, from: '2026-02-01T00:00:00Z' })),
      );
      assert.deepEqual(results.filter((r) => r.errors), []);
      const history = await app.gql('{ history(streamId: "pop-par1", first: 500) { totalCount edges { node { data } } } }');
      assert.equal(history.data.history.totalCount, 5 + 50);
      const ids = history.data.history.edges.map((e: any) => e.node.data.reservationId).filter(Boolean);
      assert.equal(new Set(ids).size, 50);
      const pinned = await Promise.all(
        Array.from({ length: 10 }, (_, i) => run(app, 'reserveCapacity', { popId: 'par1', reservationId: `pin-${i}`, resource: 'SPACE_U', amount: 0.5, from: '2026-02-01T00:00:00Z', expectedRevision: 54 })),
      );
      assert.equal(pinned.filter((r) => !r.errors).length, 1);
      assert.deepEqual([...new Set(pinned.filter((r) => r.errors).map((r) => r.errors?.[0].extensions.code))], ['CONFLICT']);
    } finally {
      await app.close();
    }
  });
});
