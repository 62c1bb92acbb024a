import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EUR, mutation, physicalPopSetup } from '../support/fixtures';
import { PATIENT_READS, startTestApp, TestApp } from '../support/test-app';

/** The planning queries over HTTP: mutations answer after the projections ran, so queries see them at once. */

const CAPACITY = `
  query($popId: ID!, $asOf: DateTime) {
    capacity(popId: $popId, asOf: $asOf) {
      popId code countryCode status asOf overall
      space { totalU usedU reservedU freeU utilizationPercent status racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } }
      power { provisionedKw usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status }
      network { capacityMbps reservedMbps headroomMbps utilizationPercent status byType { type capacityMbps circuits } }
    }
  }`;

const T0 = '2026-01-01T00:00:00Z';
const DAY_MS = 86_400_000;
/** Midnight UTC `days` before today, so that the forecast's window (365 days before now) holds it. */
const daysAgo = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS).toISOString();

describe('planning queries over GraphQL', () => {
  let app: TestApp;
  const run = async (name: string, input: Record<string, unknown>) => {
    const response = await app.gql(mutation(name), { input });
    assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
    assert.equal(response.data[name].projected, true);
  };

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    for (const [name, input] of physicalPopSetup('gq1', T0)) await run(name, input);
    await run('installDevice', { popId: 'gq1', deviceId: 'd1', rackId: 'r1', role: 'ROUTER', positionU: 1, heightU: 2, powerDrawWatts: 1500, effectiveAt: T0 });
    await run('connectCarrier', { popId: 'gq1', circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 1000, monthlyCost: EUR('900.00'), effectiveAt: T0 });
    await run('reserveCapacity', { popId: 'gq1', reservationId: 's1', resource: 'SPACE_U', amount: 10, from: '2026-02-01T00:00:00Z', until: '2026-03-01T00:00:00Z', effectiveAt: T0 });
    const at = daysAgo(100);
    await run('registerPop', { popId: 'gq2', code: 'PAR1', name: 'Paris', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'FR', city: 'Paris', region: 'EMEA', effectiveAt: at });
    await run('leaseSite', { popId: 'gq2', leaseId: 'l1', lessor: 'Owner', startsOn: at.slice(0, 10), monthlyCost: EUR('1.00'), effectiveAt: at });
    await run('installRack', { popId: 'gq2', rackId: 'r1', effectiveAt: at });
    await run('installDevice', { popId: 'gq2', deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 0, effectiveAt: at });
  });
  after(() => app?.close());

  it('capacity: exact figures at asOf, with the reservation inside its interval', async () => {
    const response = await app.gql(CAPACITY, { popId: 'gq1', asOf: '2026-02-15T00:00:00Z' }, 'viewer');
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(response.data.capacity, {
      popId: 'gq1',
      code: 'GQ1',
      countryCode: 'DE',
      status: 'LEASED',
      asOf: '2026-02-15T00:00:00.000Z',
      overall: 'OK',
      space: {
        totalU: 42, usedU: 2, reservedU: 10, freeU: 30, utilizationPercent: 28.5714, status: 'OK',
        racks: [{ rackId: 'r1', totalU: 42, usedU: 2, freeU: 40, provisionedKw: 11.1872, usableKw: 5.5936, allocatedKw: 1.5 }],
      },
      power: { provisionedKw: 11.1872, usableKw: 5.5936, allocatedKw: 1.5, reservedKw: 0, headroomKw: 4.0936, utilizationPercent: 26.8164, redundant: true, status: 'OK' },
      network: { capacityMbps: 1000, reservedMbps: 0, headroomMbps: 1000, utilizationPercent: 0, status: 'OK', byType: [{ type: 'TRANSIT', capacityMbps: 1000, circuits: 1 }] },
    });
    const later = await app.gql(CAPACITY, { popId: 'gq1', asOf: '2026-03-01T00:00:00Z' }, 'procurement');
    assert.equal(later.data.capacity.space.reservedU, 0);
    assert.equal((await app.gql(CAPACITY, { popId: 'nope' })).data.capacity, null);
  });

  it('pop, pops with filters and Relay cursors', async () => {
    const pop = await app.gql('{ pop(popId: "gq2") { popId code name kind operatorModel status countryCode city region latitude longitude provider cloudRegion } }', {}, 'compliance');
    assert.deepEqual(pop.data.pop, {
      popId: 'gq2', code: 'PAR1', name: 'Paris', kind: 'PHYSICAL', operatorModel: 'OWNED', status: 'LEASED', countryCode: 'FR', city: 'Paris', region: 'EMEA',
      latitude: null, longitude: null, provider: null, cloudRegion: null,
    });
    const page = async (after: string | null) =>
      (await app.gql('query($after: String) { pops(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { popId } } } }', { after })).data.pops;
    const first = await page(null);
    assert.deepEqual([first.totalCount, first.pageInfo.hasNextPage, first.edges.map((e: { node: { popId: string } }) => e.node.popId)], [2, true, ['gq1']]);
    const second = await page(first.pageInfo.endCursor);
    assert.deepEqual([second.pageInfo.hasNextPage, second.edges.map((e: { node: { popId: string } }) => e.node.popId)], [false, ['gq2']]);
    const filtered = await app.gql('{ pops(filter: { countryCodes: ["FR"], search: "par", statuses: [LEASED], kinds: [PHYSICAL], regions: ["EMEA"] }) { totalCount edges { node { popId } } } }');
    assert.deepEqual(filtered.data.pops, { totalCount: 1, edges: [{ node: { popId: 'gq2' } }] });
  });

  it('findCapacity: headroom filter and order; racks through a fragment', async () => {
    const response = await app.gql(`
      query { findCapacity(need: { spaceU: 30, countryGroups: ["EU"], statuses: [LEASED] }, asOf: "2026-06-01T00:00:00Z") { popId space { ...Racks freeU } } }
      fragment Racks on SpaceCapacity { racks { rackId freeU } }`);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(response.data.findCapacity, [{ popId: 'gq1', space: { racks: [{ rackId: 'r1', freeU: 40 }], freeU: 40 } }]);
    // Now: 40 U free in both, so popId decides.
    const both = await app.gql('{ findCapacity(need: { spaceU: 1 }) { popId space { freeU } power { headroomKw } } }');
    assert.deepEqual(both.data.findCapacity, [
      { popId: 'gq1', space: { freeU: 40 }, power: { headroomKw: 4.0936 } },
      { popId: 'gq2', space: { freeU: 40 }, power: { headroomKw: 0 } },
    ]);
    const power = await app.gql('{ findCapacity(need: { powerKw: 4 }) { popId network { headroomMbps byType { type capacityMbps circuits } } } }');
    assert.deepEqual(power.data.findCapacity, [{ popId: 'gq1', network: { headroomMbps: 1000, byType: [{ type: 'TRANSIT', capacityMbps: 1000, circuits: 1 }] } }]);
  });

  it('capacityForecast over the last 365 days', async () => {
    const response = await app.gql('{ capacityForecast(popId: "gq2", resource: SPACE_U) { resource currentUtilizationPercent dailyGrowthPercent exhaustsOn criticalOn basedOnPoints } }');
    assert.deepEqual(response.data.capacityForecast, {
      resource: 'SPACE_U', currentUtilizationPercent: 4.7619, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: null, basedOnPoints: 1,
    });
    assert.equal((await app.gql('{ capacityForecast(popId: "nope", resource: POWER_KW) { resource } }')).data.capacityForecast, null);
  });

  it('bad input is BAD_USER_INPUT naming the field; no key is UNAUTHENTICATED', async () => {
    const code = async (query: string) => (await app.gql(query)).errors?.[0]?.extensions;
    assert.equal((await code('{ pops(first: 501) { totalCount } }'))?.code, 'BAD_USER_INPUT');
    assert.equal((await code('{ pops(after: "bm90IGEgY3Vyc29y") { totalCount } }'))?.code, 'BAD_USER_INPUT');
    const country = await code('{ findCapacity(need: { countryCodes: ["XX"] }) { popId } }');
    assert.deepEqual([country?.code, country?.fields?.[0]?.field], ['BAD_USER_INPUT', 'countryCodes']);
    const group = await code('{ findCapacity(need: { countryGroups: ["MARS"] }) { popId } }');
    assert.deepEqual([group?.code, group?.fields?.[0]?.field], ['BAD_USER_INPUT', 'countryGroups']);
    assert.equal((await code('{ findCapacity(need: { spaceU: -1 }) { popId } }'))?.code, 'BAD_USER_INPUT');
    assert.equal((await code('{ capacity(popId: "gq1", asOf: "yesterday") { popId } }'))?.code, 'BAD_USER_INPUT');
    assert.equal((await app.gql('{ capacity(popId: "gq1") { popId } }', {}, {})).errors?.[0]?.extensions.code, 'UNAUTHENTICATED');
  });
});
