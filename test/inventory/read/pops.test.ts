import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PopListFilter } from '../../../src/inventory/read/list-pops.query';
import { testDatabases } from '../../support/test-databases';
import { at, PlanningHarness, popCommands, withPlanning } from './planning-harness';

const ams = popCommands('a1');
const ber = popCommands('b2');
const aws = popCommands('c3');
const nyc = popCommands('d4');
const zrhB = popCommands('z9');
const zrhA = popCommands('z0');

async function buildPops(h: PlanningHarness): Promise<void> {
  for (const command of [
    ams.register(at('2026-01-01'), { code: 'AMS1', name: 'Amsterdam One', countryCode: 'NL', city: 'Amsterdam', region: 'EMEA', latitude: 52.3676, longitude: 4.9041 }),
    ams.lease(at('2026-01-01'), 'l1'),
    ams.startBuildOut(at('2026-02-01')),
    ams.activate(at('2026-03-01')),
    ber.register(at('2026-01-01'), { code: 'BER1', name: 'Berlin Mitte', countryCode: 'DE', city: 'Berlin', region: 'EMEA' }),
    aws.register(at('2026-01-01'), {
      code: 'AWS-FRA', name: 'AWS eu-central-1', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE', region: 'EMEA',
      provider: 'AWS', cloudRegion: 'eu-central-1', monthlyCost: { amount: '5000', currency: 'EUR' },
    }),
    aws.activate(at('2026-02-01')),
    nyc.register(at('2026-01-01'), { code: 'NYC1', name: 'Manhattan', countryCode: 'US', city: 'New York', region: 'AMER' }),
    nyc.lease(at('2026-05-01'), 'l1'),
    // Same code twice: ordered by popId then.
    zrhB.register(at('2026-01-01'), { code: 'ZRH1', name: 'Zurich B', countryCode: 'CH', region: 'EMEA' }),
    zrhA.register(at('2026-01-01'), { code: 'ZRH1', name: 'Zurich A (50%_off)', countryCode: 'CH', region: 'EMEA' }),
  ]) {
    await h.run(command);
  }
  await h.sync();
}

for (const database of testDatabases()) {
  describe(`pop and pops (${database.name})`, () => {
    test('pop: profile with its status at asOf; null when unknown', () =>
      withPlanning(database, async (h) => {
        await buildPops(h);
        const amsterdam = {
          popId: 'a1', code: 'AMS1', name: 'Amsterdam One', kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'NL', city: 'Amsterdam',
          region: 'EMEA', latitude: 52.3676, longitude: 4.9041, provider: null, cloudRegion: null,
        };
        assert.deepEqual(await h.pop('a1', at('2026-02-15')), { ...amsterdam, status: 'BUILDING' });
        assert.equal((await h.pop('a1', at('2025-06-01')))?.status, 'PLANNED');
        assert.equal((await h.pop('a1', at('2026-01-01')))?.status, 'LEASED');
        assert.equal((await h.pop('a1', at('2026-02-28', '23:59')))?.status, 'BUILDING');
        assert.equal((await h.pop('a1', at('2026-03-01')))?.status, 'LIVE');
        assert.deepEqual(await h.pop('c3', at('2026-03-01')), {
          popId: 'c3', code: 'AWS-FRA', name: 'AWS eu-central-1', kind: 'VIRTUAL', operatorModel: 'CLOUD', status: 'LIVE', countryCode: 'DE',
          city: null, region: 'EMEA', latitude: null, longitude: null, provider: 'AWS', cloudRegion: 'eu-central-1',
        });
        assert.equal(await h.pop('unknown', at('2026-03-01')), null);
      }));

    test('pops: filters, status at asOf, order by code then popId, Relay pages', () =>
      withPlanning(database, async (h) => {
        await buildPops(h);
        const list = async (filter: PopListFilter, asOf = at('2026-06-01')) => {
          const page = await h.pops(filter, 50, null, asOf);
          return [page.totalCount, page.edges.map((edge) => `${edge.node.popId}:${edge.node.status}`)];
        };
        assert.deepEqual(await list({}), [6, ['a1:LIVE', 'c3:LIVE', 'b2:PLANNED', 'd4:LEASED', 'z0:PLANNED', 'z9:PLANNED']]);
        assert.deepEqual(await list({ countryCodes: ['DE', 'US'] }), [3, ['c3:LIVE', 'b2:PLANNED', 'd4:LEASED']]);
        assert.deepEqual(await list({ regions: ['AMER'] }), [1, ['d4:LEASED']]);
        assert.deepEqual(await list({ kinds: ['VIRTUAL'] }), [1, ['c3:LIVE']]);
        assert.deepEqual(await list({ statuses: ['LIVE', 'LEASED'] }), [3, ['a1:LIVE', 'c3:LIVE', 'd4:LEASED']]);
        assert.deepEqual(await list({ statuses: ['LEASED'] }, at('2026-01-15')), [1, ['a1:LEASED']]);
        assert.deepEqual(await list({ statuses: ['PLANNED'] }, at('2025-12-01')), [6, ['a1:PLANNED', 'c3:PLANNED', 'b2:PLANNED', 'd4:PLANNED', 'z0:PLANNED', 'z9:PLANNED']]);
        // search: code, name or city, case-insensitive; LIKE wildcards are literal.
        assert.deepEqual(await list({ search: 'ams' }), [1, ['a1:LIVE']]);
        assert.deepEqual(await list({ search: 'new YORK' }), [1, ['d4:LEASED']]);
        assert.deepEqual(await list({ search: 'MITTE' }), [1, ['b2:PLANNED']]);
        assert.deepEqual(await list({ search: 'aws-' }), [1, ['c3:LIVE']]);
        assert.deepEqual(await list({ search: '%_' }), [1, ['z0:PLANNED']]);
        assert.deepEqual(await list({ search: '_' }), [1, ['z0:PLANNED']]);
        assert.deepEqual(await list({ countryCodes: ['CH'], search: 'zurich', statuses: ['PLANNED'], kinds: ['PHYSICAL'], regions: ['EMEA'] }), [2, ['z0:PLANNED', 'z9:PLANNED']]);
        assert.deepEqual(await list({ countryCodes: [], regions: [], statuses: [], kinds: [] }), [6, ['a1:LIVE', 'c3:LIVE', 'b2:PLANNED', 'd4:LEASED', 'z0:PLANNED', 'z9:PLANNED']]);

        const pages: string[][] = [];
        let after = null;
        for (;;) {
          const page = await h.pops({}, 2, after, at('2026-06-01'));
          assert.equal(page.totalCount, 6);
          pages.push(page.edges.map((edge) => edge.node.popId));
          if (!page.pageInfo.hasNextPage) break;
          assert.equal(page.pageInfo.endCursor, page.edges[1].cursor);
          after = { code: page.edges[1].node.code, popId: page.edges[1].node.popId };
        }
        assert.deepEqual(pages, [['a1', 'c3'], ['b2', 'd4'], ['z0', 'z9']]);
        const empty = await h.pops({}, 0, null, at('2026-06-01'));
        assert.deepEqual([empty.edges, empty.pageInfo, empty.totalCount], [[], { hasNextPage: true, endCursor: null }, 6]);
        const last = await h.pops({}, 5, { code: 'ZRH1', popId: 'z9' }, at('2026-06-01'));
        assert.deepEqual([last.edges, last.pageInfo.hasNextPage, last.totalCount], [[], false, 6]);
      }));
  });
}
