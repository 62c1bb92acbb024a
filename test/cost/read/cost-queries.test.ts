import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../../src/platform/api/errors/api-error.types';
import { Money } from '../../../src/kernel/money.types';
import { testDatabases } from '../../support/test-databases';
import { CostWorld } from './cost-world';

const at = (date: string, time = '00:00:00.000') => `${date}T${time}Z`;
const m = (amount: string, currency: string): Money => ({ amount, currency });
const EMPTY_CATEGORIES = { LEASE: [], POWER: [], CONNECTIVITY: [], CLOUD: [] };
/** byCategory as the API lists it: all four, in order. */
const byCategory = (costs: Partial<Record<'LEASE' | 'POWER' | 'CONNECTIVITY' | 'CLOUD', Money[]>>) =>
  Object.entries({ ...EMPTY_CATEGORIES, ...costs }).map(([category, monthlyRecurring]) => ({ category, monthlyRecurring }));

/**
 * Four PoPs in 2026:
 * - fra1 (PHYSICAL, DE, EU-CENTRAL): lease l1 2026-01-01..2026-12-31 at 10000.50 EUR (+5000 EUR once);
 *   lease l2 from 2026-03-01 at 2000 USD, terminated to end 2026-06-30; feeds fa/fb at 300.25 EUR each
 *   from 01-10 (fa +1000 EUR once, removed 05-01); device d1 bought 02-10 for 12000.99 USD; circuit c1
 *   1500 USD (+250 USD once) 02-01..09-01; circuit c2 800 GBP from 04-01.
 * - cloud1 (VIRTUAL, DE, EU-CENTRAL): 4200.10 USD a month from registration (01-01) until CLOSED (07-01),
 *   still paid while DECOMMISSIONING; on-ramp circuit 100 USD 01-03..06-30.
 * - lon1 (PHYSICAL, GB, no region): lease 5000 GBP from 01-01, a free circuit (0 GBP).
 * - empty1 (PHYSICAL, DE, EU-CENTRAL): no cost at all.
 * Rates, base EUR: from 01-02 USD 0.9 and GBP 1.15; from 06-01 USD 0.95 (GBP still 1.15);
 * from 09-01 the base is USD with only EUR 1.1 (so GBP has no rate any more).
 */
async function record(w: CostWorld): Promise<void> {
  const register = (popId: string, countryCode: string, region: string | null, kind: 'PHYSICAL' | 'VIRTUAL' = 'PHYSICAL', monthlyCost?: Money) =>
    w.pop('RegisterPop', {
      popId, code: popId.toUpperCase(), name: popId, kind, operatorModel: kind === 'VIRTUAL' ? 'CLOUD' : 'COLOCATION', countryCode, region, monthlyCost,
    }, at('2026-01-01'));

  await register('fra1', 'DE', 'EU-CENTRAL');
  await w.pop('LeaseSite', { popId: 'fra1', leaseId: 'l1', lessor: 'Equinix', startsOn: '2026-01-01', endsOn: '2026-12-31', monthlyCost: m('10000.50', 'EUR'), oneOffCost: m('5000', 'EUR') }, at('2026-01-01'));
  await w.pop('InstallRack', { popId: 'fra1', rackId: 'r1' }, at('2026-01-05'));
  const feed = { popId: 'fra1', rackId: 'r1', phase: 'SINGLE' as const, voltage: 230, amperage: 32, monthlyCost: m('300.25', 'EUR') };
  await w.pop('AddPowerFeed', { ...feed, feedId: 'fa', side: 'A', oneOffCost: m('1000', 'EUR') }, at('2026-01-10'));
  await w.pop('AddPowerFeed', { ...feed, feedId: 'fb', side: 'B' }, at('2026-01-10'));
  await w.pop('ConnectCarrier', { popId: 'fra1', circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10000, monthlyCost: m('1500', 'USD'), oneOffCost: m('250', 'USD') }, at('2026-02-01'));
  await w.pop('InstallDevice', { popId: 'fra1', deviceId: 'd1', rackId: 'r1', role: 'ROUTER', positionU: 1, heightU: 2, powerDrawWatts: 500, purchaseCost: m('12000.99', 'USD') }, at('2026-02-10'));
  await w.pop('LeaseSite', { popId: 'fra1', leaseId: 'l2', lessor: 'Equinix', startsOn: '2026-03-01', monthlyCost: m('2000', 'USD') }, at('2026-02-14'));
  await w.pop('TerminateLease', { popId: 'fra1', leaseId: 'l2', endsOn: '2026-06-30' }, at('2026-02-15'));
  await w.pop('ConnectCarrier', { popId: 'fra1', circuitId: 'c2', carrier: 'BT', type: 'ETHERNET', bandwidthMbps: 1000, monthlyCost: m('800', 'GBP') }, at('2026-04-01'));
  await w.pop('RemovePowerFeed', { popId: 'fra1', feedId: 'fa' }, at('2026-05-01'));
  await w.pop('DisconnectCarrier', { popId: 'fra1', circuitId: 'c1' }, at('2026-09-01'));

  await register('cloud1', 'DE', 'EU-CENTRAL', 'VIRTUAL', m('4200.10', 'USD'));
  await w.pop('ActivatePop', { popId: 'cloud1' }, at('2026-01-02'));
  await w.pop('ConnectCarrier', { popId: 'cloud1', circuitId: 'onramp', carrier: 'AWS', type: 'CLOUD_ONRAMP', bandwidthMbps: 1000, monthlyCost: m('100', 'USD') }, at('2026-01-03'));
  await w.pop('StartDecommission', { popId: 'cloud1' }, at('2026-06-01'));
  await w.pop('DisconnectCarrier', { popId: 'cloud1', circuitId: 'onramp' }, at('2026-06-30'));
  await w.pop('ClosePop', { popId: 'cloud1' }, at('2026-07-01'));

  await register('lon1', 'GB', null);
  await w.pop('LeaseSite', { popId: 'lon1', leaseId: 'l1', lessor: 'Telehouse', startsOn: '2026-01-01', monthlyCost: m('5000', 'GBP') }, at('2026-01-01'));
  await w.pop('ConnectCarrier', { popId: 'lon1', circuitId: 'free', carrier: 'LINX', type: 'IX_PEERING', bandwidthMbps: 1000, monthlyCost: m('0', 'GBP') }, at('2026-01-01'));

  await register('empty1', 'DE', 'EU-CENTRAL');

  // Recorded last but effective first: history is corrected, not appended to.
  await w.rates(at('2026-09-01'), 'USD', { EUR: '1.1' });
  await w.rates(at('2026-06-01'), 'EUR', { USD: '0.95' });
  await w.rates(at('2026-01-02'), 'EUR', { USD: '0.9', GBP: '1.15' });
}

function assertMissingRate(error: unknown, message: string): true {
  assert.ok(error instanceof ApiError, String(error));
  assert.equal(error.code, 'BAD_USER_INPUT');
  assert.deepEqual(error.extensions.fields, [{ field: 'currency', message }]);
  return true;
}

for (const database of testDatabases()) {
  describe(`cost queries (${database.name})`, () => {
    let world: CostWorld;
    let dispose: () => Promise<void>;

    before(async () => {
      const created = await database.create();
      dispose = created.dispose;
      world = new CostWorld(created.sql);
      await record(world);
      await world.settle();
    });

    after(async () => {
      await world.close();
      await dispose();
    });

    test('monthly recurring cost per currency and category; one-off costs in their month only', async () => {
      assert.deepEqual(await world.cost('fra1', at('2026-01-15')), {
        popId: 'fra1',
        asOf: at('2026-01-15'),
        monthlyRecurring: [m('10601.00', 'EUR')],
        byCategory: byCategory({ LEASE: [m('10000.50', 'EUR')], POWER: [m('600.50', 'EUR')] }),
        oneOff: [m('6000.00', 'EUR')],
        converted: null,
        costPerUsableKw: null,
        costPerU: null,
        costPerMbps: null,
      });
      const february = await world.cost('fra1', at('2026-02-28', '23:59:59.999'));
      assert.deepEqual(february?.monthlyRecurring, [m('10601.00', 'EUR'), m('1500.00', 'USD')]);
      assert.deepEqual(february?.byCategory, byCategory({ LEASE: [m('10000.50', 'EUR')], POWER: [m('600.50', 'EUR')], CONNECTIVITY: [m('1500.00', 'USD')] }));
      assert.deepEqual(february?.oneOff, [m('12250.99', 'USD')]);
      assert.deepEqual((await world.cost('fra1', at('2026-03-01')))?.oneOff, []);
    });

    test('leases enter on startsOn and leave after endsOn (inclusive), a termination moves the end', async () => {
      const lease = async (asOf: string) => (await world.cost('fra1', asOf))?.byCategory[0].monthlyRecurring;
      assert.deepEqual(await lease(at('2025-12-31', '23:59:59.999')), []);
      assert.deepEqual(await lease(at('2026-02-28', '23:59:59.999')), [m('10000.50', 'EUR')]);
      assert.deepEqual(await lease(at('2026-03-01')), [m('10000.50', 'EUR'), m('2000.00', 'USD')]);
      assert.deepEqual(await lease(at('2026-06-30', '23:59:59.999')), [m('10000.50', 'EUR'), m('2000.00', 'USD')]);
      assert.deepEqual(await lease(at('2026-07-01')), [m('10000.50', 'EUR')]);
      assert.deepEqual(await lease(at('2026-12-31', '23:59:59.999')), [m('10000.50', 'EUR')]);
      assert.deepEqual(await lease(at('2027-01-01')), []);
    });

    test('removed feeds and disconnected circuits stop costing at their removal', async () => {
      const june = await world.cost('fra1', at('2026-06-30', '12:00:00.000'));
      assert.deepEqual(june?.byCategory, byCategory({
        LEASE: [m('10000.50', 'EUR'), m('2000.00', 'USD')],
        POWER: [m('300.25', 'EUR')],
        CONNECTIVITY: [m('800.00', 'GBP'), m('1500.00', 'USD')],
      }));
      assert.deepEqual(june?.monthlyRecurring, [m('10300.75', 'EUR'), m('800.00', 'GBP'), m('3500.00', 'USD')]);
      const september = await world.cost('fra1', at('2026-09-01'));
      assert.deepEqual(september?.byCategory, byCategory({ LEASE: [m('10000.50', 'EUR')], POWER: [m('300.25', 'EUR')], CONNECTIVITY: [m('800.00', 'GBP')] }));
    });

    test('a virtual PoP costs its cloud fee from registration until it is CLOSED', async () => {
      const cloud = async (asOf: string) => (await world.cost('cloud1', asOf))?.byCategory[3];
      assert.deepEqual(await cloud(at('2025-12-31', '23:59:59.999')), { category: 'CLOUD', monthlyRecurring: [] });
      assert.deepEqual(await cloud(at('2026-01-01')), { category: 'CLOUD', monthlyRecurring: [m('4200.10', 'USD')] });
      assert.deepEqual(await cloud(at('2026-06-30', '23:59:59.999')), { category: 'CLOUD', monthlyRecurring: [m('4200.10', 'USD')] });
      assert.deepEqual(await cloud(at('2026-07-01')), { category: 'CLOUD', monthlyRecurring: [] });
      assert.deepEqual((await world.cost('cloud1', at('2026-02-01')))?.monthlyRecurring, [m('4300.10', 'USD')]);
    });

    test('converts with the rates in force at asOf (latest set of the current base, per currency)', async () => {
      assert.deepEqual((await world.cost('fra1', at('2026-02-20'), 'EUR'))?.converted, m('11951.00', 'EUR'));
      assert.deepEqual((await world.cost('fra1', at('2026-02-20'), 'USD'))?.converted, m('13278.8889', 'USD'));
      // 10300.75 EUR + 800 GBP × 1.15 + 3500 USD × 0.95 (the June set; GBP from January's)
      assert.deepEqual((await world.cost('fra1', at('2026-06-30', '12:00:00.000'), 'EUR'))?.converted, m('14545.75', 'EUR'));
      assert.deepEqual((await world.cost('empty1', at('2026-02-20'), 'CHF'))?.converted, m('0.00', 'CHF'));
      // Only the currencies the PoP pays in need a rate: EUR alone needs none, even before any rate exists.
      assert.deepEqual((await world.cost('fra1', at('2026-01-01', '12:00:00.000'), 'EUR'))?.converted, m('10000.50', 'EUR'));
    });

    test('a missing rate is an error naming the currency', async () => {
      await assert.rejects(world.cost('fra1', at('2026-09-15'), 'EUR'), (e) => assertMissingRate(e, 'no exchange rate for GBP to EUR at 2026-09-15T00:00:00.000Z'));
      await assert.rejects(world.cost('cloud1', at('2026-01-01', '12:00:00.000'), 'EUR'), (e) => assertMissingRate(e, 'no exchange rate for USD to EUR at 2026-01-01T12:00:00.000Z'));
      await assert.rejects(world.summary('POP', at('2026-02-20'), 'JPY'), (e) => assertMissingRate(e, 'no exchange rate for USD to JPY at 2026-02-20T00:00:00.000Z'));
    });

    test('unit costs: converted MRC, or the only currency, per usable kW, total U and Mbps; null on a zero denominator', async () => {
      world.capacities.set('fra1', { space: { totalU: 42 }, power: { usableKw: 5.5936 }, network: { capacityMbps: 0 } });
      world.capacities.set('lon1', { space: { totalU: 0 }, power: { usableKw: 0 }, network: { capacityMbps: 1000 } });
      const fra = await world.cost('fra1', at('2026-02-20'), 'EUR');
      assert.deepEqual([fra?.costPerUsableKw, fra?.costPerU, fra?.costPerMbps], [m('2136.5489', 'EUR'), m('284.5476', 'EUR'), null]);
      const multiCurrency = await world.cost('fra1', at('2026-02-20'));
      assert.deepEqual([multiCurrency?.costPerUsableKw, multiCurrency?.costPerU, multiCurrency?.costPerMbps], [null, null, null]);
      const lon = await world.cost('lon1', at('2026-02-20'));
      assert.deepEqual([lon?.costPerUsableKw, lon?.costPerU, lon?.costPerMbps], [null, null, m('5.00', 'GBP')]);
      const noCapacity = await world.cost('cloud1', at('2026-02-20'));
      assert.deepEqual([noCapacity?.costPerUsableKw, noCapacity?.costPerU, noCapacity?.costPerMbps], [null, null, null]);
    });

    test('a free item adds no currency; an unknown PoP has no cost at all', async () => {
      const lon = await world.cost('lon1', at('2026-02-20'));
      assert.deepEqual(lon?.byCategory, byCategory({ LEASE: [m('5000.00', 'GBP')] }));
      assert.equal(await world.cost('nowhere', at('2026-02-20')), null);
    });

    test('costSummary by POP, COUNTRY, REGION and CATEGORY, sorted by key', async () => {
      const asOf = at('2026-02-20');
      assert.deepEqual(await world.summary('POP', asOf, 'EUR'), [
        { key: 'cloud1', popCount: 1, monthlyRecurring: [m('4300.10', 'USD')], converted: m('3870.09', 'EUR') },
        { key: 'empty1', popCount: 1, monthlyRecurring: [], converted: m('0.00', 'EUR') },
        { key: 'fra1', popCount: 1, monthlyRecurring: [m('10601.00', 'EUR'), m('1500.00', 'USD')], converted: m('11951.00', 'EUR') },
        { key: 'lon1', popCount: 1, monthlyRecurring: [m('5000.00', 'GBP')], converted: m('5750.00', 'EUR') },
      ]);
      assert.deepEqual(await world.summary('COUNTRY', asOf), [
        { key: 'DE', popCount: 3, monthlyRecurring: [m('10601.00', 'EUR'), m('5800.10', 'USD')], converted: null },
        { key: 'GB', popCount: 1, monthlyRecurring: [m('5000.00', 'GBP')], converted: null },
      ]);
      assert.deepEqual(await world.summary('REGION', asOf, 'EUR'), [
        { key: 'EU-CENTRAL', popCount: 3, monthlyRecurring: [m('10601.00', 'EUR'), m('5800.10', 'USD')], converted: m('15821.09', 'EUR') },
        { key: 'UNKNOWN', popCount: 1, monthlyRecurring: [m('5000.00', 'GBP')], converted: m('5750.00', 'EUR') },
      ]);
      assert.deepEqual(await world.summary('CATEGORY', asOf), [
        { key: 'CLOUD', popCount: 1, monthlyRecurring: [m('4200.10', 'USD')], converted: null },
        { key: 'CONNECTIVITY', popCount: 2, monthlyRecurring: [m('1600.00', 'USD')], converted: null },
        { key: 'LEASE', popCount: 2, monthlyRecurring: [m('10000.50', 'EUR'), m('5000.00', 'GBP')], converted: null },
        { key: 'POWER', popCount: 1, monthlyRecurring: [m('600.50', 'EUR')], converted: null },
      ]);
      assert.deepEqual(await world.summary('CATEGORY', at('2025-06-01')), [
        { key: 'CLOUD', popCount: 0, monthlyRecurring: [], converted: null },
        { key: 'CONNECTIVITY', popCount: 0, monthlyRecurring: [], converted: null },
        { key: 'LEASE', popCount: 0, monthlyRecurring: [], converted: null },
        { key: 'POWER', popCount: 0, monthlyRecurring: [], converted: null },
      ]);
    });

    test('a rebuild from the log gives the same answers', async () => {
      const before = [await world.cost('fra1', at('2026-06-30', '12:00:00.000'), 'EUR'), await world.summary('CATEGORY', at('2026-02-20'), 'EUR')];
      await world.rebuild();
      assert.deepEqual([await world.cost('fra1', at('2026-06-30', '12:00:00.000'), 'EUR'), await world.summary('CATEGORY', at('2026-02-20'), 'EUR')], before);
    });

    // Last: it records one more circuit.
    test('a kept summary never outlives a projected command, nor an MRC or rate change between two instants', async () => {
      const connectivity = async (asOf: string) => (await world.summary('CATEGORY', asOf)).find((group) => group.key === 'CONNECTIVITY');
      assert.deepEqual(await connectivity(at('2026-08-31')), { key: 'CONNECTIVITY', popCount: 1, monthlyRecurring: [m('800.00', 'GBP'), m('1500.00', 'USD')], converted: null });
      // fra1's c1 ends on 09-01.
      assert.deepEqual(await connectivity(at('2026-09-01')), { key: 'CONNECTIVITY', popCount: 1, monthlyRecurring: [m('800.00', 'GBP')], converted: null });
      // No MRC changes on 06-01, the USD rate does: cloud1's converted MRC follows it.
      const cloud = async (asOf: string) => (await world.summary('POP', asOf, 'EUR')).find((group) => group.key === 'cloud1')?.converted;
      const [may, june] = [await cloud(at('2026-05-31')), await cloud(at('2026-06-01'))];
      assert.deepEqual([may, june], [(await world.cost('cloud1', at('2026-05-31'), 'EUR'))?.converted, (await world.cost('cloud1', at('2026-06-01'), 'EUR'))?.converted]);
      assert.notDeepEqual(may, june);
      // A command projected since: the same instant answers with it.
      await world.pop('ConnectCarrier', { popId: 'lon1', circuitId: 'c9', carrier: 'BT', type: 'TRANSIT', bandwidthMbps: 1000, monthlyCost: m('100', 'GBP') }, at('2026-02-01'));
      await world.settle();
      assert.deepEqual(await connectivity(at('2026-09-01')), { key: 'CONNECTIVITY', popCount: 2, monthlyRecurring: [m('900.00', 'GBP')], converted: null });
    });
  });
}
