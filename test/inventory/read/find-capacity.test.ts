import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CapacityNeed } from '../../../src/inventory/read/find-capacity.query';
import { testDatabases } from '../../support/test-databases';
import { at, PlanningHarness, popCommands, withPlanning } from './planning-harness';

/**
 * Headroom at 2026-06-01 (freeU / headroomKw / headroomMbps):
 * f1 DE LIVE 40 / 4.5936 / 1000 (30 U reserved from 2026-07-01); f2 FR LEASED 38 / 14.8494 / 10000;
 * f3 US BUILDING 42 / 5.5936 / 0; f4 GB (region UK) LEASED 10 / 5.5936 / 100; f5 CH virtual LIVE 0 / 0 / 5000.
 */
async function buildSites(h: PlanningHarness): Promise<void> {
  const t = at('2026-01-01');
  const physical = async (popId: string, countryCode: string, region: string, heightU: number, feed: 'single' | 'three' | 'redundant') => {
    const c = popCommands(popId);
    await h.run(c.register(t, { countryCode, region }));
    await h.run(c.lease(t, 'l1'));
    await h.run(c.rack(t, 'r1', { heightU }));
    await h.run(feed === 'three' ? c.feed(t, 'fa', 'r1', 'A', { phase: 'THREE', voltage: 400 }) : c.feed(t, 'fa', 'r1', 'A'));
    if (feed === 'redundant') await h.run(c.feed(t, 'fb', 'r1', 'B'));
    return c;
  };
  const f1 = await physical('f1', 'DE', 'EMEA', 42, 'redundant');
  await h.run(f1.device(t, 'd1', 'r1', 1, 2, 1000));
  await h.run(f1.circuit(t, 'c1', 1000));
  await h.run(f1.startBuildOut(t));
  await h.run(f1.activate(t));
  await h.run(f1.reserve(t, 's1', 'SPACE_U', 30, at('2026-07-01')));
  const f2 = await physical('f2', 'FR', 'EMEA', 48, 'three');
  await h.run(f2.device(t, 'd1', 'r1', 1, 10, 2000));
  await h.run(f2.circuit(t, 'c1', 10000, 'DARK_FIBER'));
  const f3 = await physical('f3', 'US', 'AMER', 42, 'single');
  await h.run(f3.startBuildOut(t));
  const f4 = await physical('f4', 'GB', 'UK', 10, 'single');
  await h.run(f4.circuit(t, 'c1', 100));
  const f5 = popCommands('f5');
  await h.run(f5.register(t, { kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'CH', region: 'EMEA' }));
  await h.run(f5.circuit(t, 'c1', 5000, 'CLOUD_ONRAMP'));
  await h.run(f5.activate(t));
  await h.sync();
}

for (const database of testDatabases()) {
  describe(`findCapacity (${database.name})`, () => {
    test('only PoPs whose headroom covers every amount, most headroom first, filtered by place and status', () =>
      withPlanning(database, async (h) => {
        await buildSites(h);
        const find = async (need: CapacityNeed, asOf = at('2026-06-01')) => (await h.findCapacity(need, asOf)).map((capacity) => capacity.popId);

        assert.deepEqual(await find({}), ['f1', 'f2', 'f3', 'f4', 'f5']);
        assert.deepEqual(await find({ spaceU: 20 }), ['f3', 'f1', 'f2']);
        assert.deepEqual(await find({ spaceU: 40 }), ['f3', 'f1']);
        assert.deepEqual(await find({ spaceU: 40 }, at('2026-07-01')), ['f3']);
        // Ties on the headroom (f3 and f4: 5.5936 kW) go by popId.
        assert.deepEqual(await find({ powerKw: 5 }), ['f2', 'f3', 'f4']);
        assert.deepEqual(await find({ powerKw: 5.5936 }), ['f2', 'f3', 'f4']);
        assert.deepEqual(await find({ powerKw: 5.5937 }), ['f2']);
        // Ordered by the first amount asked for (space before power before bandwidth), all amounts must fit.
        assert.deepEqual(await find({ bandwidthMbps: 500, spaceU: 1 }), ['f1', 'f2']);
        assert.deepEqual(await find({ powerKw: 1, bandwidthMbps: 1 }), ['f2', 'f4', 'f1']);
        assert.deepEqual(await find({ bandwidthMbps: 100 }), ['f2', 'f5', 'f1', 'f4']);
        assert.deepEqual(await find({ spaceU: 0, powerKw: 0, bandwidthMbps: 0 }), ['f3', 'f1', 'f2', 'f4', 'f5']);

        assert.deepEqual(await find({ countryCodes: ['FR', 'CH'] }), ['f2', 'f5']);
        assert.deepEqual(await find({ regions: ['UK', 'AMER'] }), ['f3', 'f4']);
        assert.deepEqual(await find({ statuses: ['LIVE'] }), ['f1', 'f5']);
        assert.deepEqual(await find({ statuses: ['PLANNED'] }, at('2025-12-31')), ['f1', 'f2', 'f3', 'f4', 'f5']);
        assert.deepEqual(await find({ statuses: ['LIVE'], bandwidthMbps: 2000 }), ['f5']);
        // Country groups at asOf's date: GB left the EU (and the EEA) on 2020-02-01; CH, GB and US are adequate.
        assert.deepEqual(await find({ countryGroups: ['EU'] }), ['f1', 'f2']);
        assert.deepEqual(await find({ countryGroups: ['EU'] }, at('2019-06-01')), ['f1', 'f2', 'f4']);
        assert.deepEqual(await find({ countryGroups: ['EEA'], countryCodes: ['US'] }), ['f1', 'f2', 'f3']);
        assert.deepEqual(await find({ countryGroups: ['EU_ADEQUACY'], powerKw: 1 }), ['f3', 'f4']);
        assert.deepEqual(await find({ countryCodes: [], countryGroups: [], regions: [], statuses: [] }), ['f1', 'f2', 'f3', 'f4', 'f5']);
      }));

    test('a kept answer never outlives a projected command, nor a step or status change between two instants', () =>
      withPlanning(database, async (h) => {
        await buildSites(h);
        const find = async (need: CapacityNeed, asOf: string) => (await h.findCapacity(need, asOf)).map((capacity) => capacity.popId);
        // f2 becomes LIVE and f3 loses 30 U from 2026-09-01; both known before the first question.
        const f2 = popCommands('f2');
        await h.run(f2.startBuildOut(at('2026-09-01')));
        await h.run(f2.activate(at('2026-09-01')));
        await h.run(popCommands('f3').reserve(at('2026-01-01'), 's1', 'SPACE_U', 30, at('2026-09-01')));
        await h.sync();
        assert.deepEqual(await find({ statuses: ['LIVE'], spaceU: 5 }, at('2026-08-31')), ['f1']);
        assert.deepEqual(await find({ spaceU: 20 }, at('2026-08-31', '23:59')), ['f3', 'f2']);
        // Later instants of the same network: the changes at 2026-09-01 count from then on.
        assert.deepEqual(await find({ statuses: ['LIVE'], spaceU: 5 }, at('2026-09-01')), ['f2', 'f1']);
        assert.deepEqual(await find({ spaceU: 20 }, at('2026-09-02')), ['f2']);
        // A command projected since: the same instant answers with it.
        await h.run(popCommands('f3').release(at('2026-02-01'), 's1'));
        await h.sync();
        assert.deepEqual(await find({ spaceU: 20 }, at('2026-09-02')), ['f3', 'f2']);
      }));

    test('answers the figures of capacity, racks and circuits by type only when asked for', () =>
      withPlanning(database, async (h) => {
        await buildSites(h);
        const [f2] = await h.findCapacity({ countryCodes: ['FR'] }, at('2026-06-01'));
        assert.deepEqual(f2, await h.capacity('f2', at('2026-06-01')));
        assert.deepEqual(f2.space.racks, [{ rackId: 'r1', totalU: 48, usedU: 10, freeU: 38, provisionedKw: 16.8494, usableKw: 16.8494, allocatedKw: 2 }]);
        assert.deepEqual(f2.power, {
          provisionedKw: 16.8494, usableKw: 16.8494, allocatedKw: 2, reservedKw: 0, headroomKw: 14.8494, utilizationPercent: 11.8699, redundant: false, status: 'OK',
        });
        assert.deepEqual(f2.network.byType, [{ type: 'DARK_FIBER', capacityMbps: 10000, circuits: 1 }]);
        const [bare] = await h.findCapacity({ countryCodes: ['FR'] }, at('2026-06-01'), { racks: false, byType: false });
        assert.deepEqual(bare, { ...f2, space: { ...f2.space, racks: [] }, network: { ...f2.network, byType: [] } });
      }));
  });
}
