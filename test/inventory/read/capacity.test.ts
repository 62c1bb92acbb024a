import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readPopCapacityInputs, readStepTotals } from '../../../src/inventory/read/capacity.reader';
import { testDatabases } from '../../support/test-databases';
import { at, PlanningHarness, popCommands, withPlanning } from './planning-harness';

/**
 * Exact figures of `capacity` on one constructed PoP (docs/domain.md, "Capacity formulas"), hand-computed:
 * r1: A + B single phase 230 V × 32 A, default derating 80 % and power factor 0.95 → 5.5936 kW each,
 *     redundant, usable 5.5936;
 * r2: A three phase 400 V × 32 A → 16.8494 kW, one side only, capped by maxPowerKw 10;
 * r3 (from 07-01): A single 230 V × 16 A derating 100 pf 1 → 3.68; B three phase 208 V × 30 A
 *     derating 90 pf 0.9 → 8.7545; usable min = 3.68.
 */
const fra = popCommands('fra1');

async function buildFra(h: PlanningHarness): Promise<void> {
  const commands = [
    fra.register(at('2026-01-01'), { city: 'Frankfurt', region: 'EMEA' }),
    fra.lease(at('2026-01-01'), 'l1'),
    fra.rack(at('2026-01-01'), 'r1'),
    fra.feed(at('2026-01-01'), 'r1-a', 'r1', 'A'),
    fra.feed(at('2026-01-01'), 'r1-b', 'r1', 'B'),
    fra.circuit(at('2026-01-01'), 'c1', 1000),
    fra.device(at('2026-01-10'), 'd1', 'r1', 1, 2, 1000),
    fra.reserve(at('2026-01-15'), 's1', 'SPACE_U', 20, at('2026-03-01'), at('2026-06-01')),
    fra.startBuildOut(at('2026-02-01')),
    fra.rack(at('2026-02-01'), 'r2', { heightU: 48, maxPowerKw: 10 }),
    fra.feed(at('2026-02-01'), 'r2-a', 'r2', 'A', { phase: 'THREE', voltage: 400 }),
    fra.circuit(at('2026-02-01'), 'c2', 10000, 'IX_PEERING'),
    fra.circuit(at('2026-02-01'), 'c3', 500),
    fra.device(at('2026-02-10'), 'd2', 'r2', 1, 4, 5000),
    fra.device(at('2026-02-10'), 'd3', 'r2', 10, 1, 500),
    fra.reserve(at('2026-02-15'), 'p1', 'POWER_KW', 2),
    fra.reserve(at('2026-02-15'), 'b1', 'BANDWIDTH_MBPS', 1000),
    fra.activate(at('2026-03-01')),
    fra.lease(at('2026-03-15'), 'l2', { startsOn: '2026-04-01', endsOn: '2026-06-30', contractedPowerKw: 9 }),
    fra.release(at('2026-04-01'), 'b1'),
    fra.removeDevice(at('2026-05-01'), 'd3'),
    fra.disconnect(at('2026-05-01'), 'c3'),
    fra.rack(at('2026-07-01'), 'r3'),
    fra.feed(at('2026-07-01'), 'r3-a', 'r3', 'A', { amperage: 16, deratingPercent: 100, powerFactor: 1 }),
    fra.feed(at('2026-07-01'), 'r3-b', 'r3', 'B', { phase: 'THREE', voltage: 208, amperage: 30, deratingPercent: 90, powerFactor: 0.9 }),
  ];
  for (const command of commands) await h.run(command);
  await h.sync();
}

const R1 = { rackId: 'r1', totalU: 42, usedU: 2, freeU: 40, provisionedKw: 11.1872, usableKw: 5.5936, allocatedKw: 1 };
const R2 = { rackId: 'r2', totalU: 48, usedU: 5, freeU: 43, provisionedKw: 16.8494, usableKw: 10, allocatedKw: 5.5 };
const HEADER = { popId: 'fra1', code: 'FRA1', countryCode: 'DE' };

for (const database of testDatabases()) {
  describe(`capacity (${database.name})`, () => {
    test('exact figures before, during and after each change; back-dated events correct history', () =>
      withPlanning(database, async (h) => {
        await buildFra(h);

        assert.deepEqual(await h.capacity('fra1', at('2025-12-31')), {
          ...HEADER,
          status: 'PLANNED',
          asOf: at('2025-12-31'),
          overall: 'OK',
          space: { totalU: 0, usedU: 0, reservedU: 0, freeU: 0, utilizationPercent: 0, status: 'OK', racks: [] },
          power: { provisionedKw: 0, usableKw: 0, allocatedKw: 0, reservedKw: 0, headroomKw: 0, utilizationPercent: 0, redundant: true, status: 'OK' },
          network: { capacityMbps: 0, reservedMbps: 0, headroomMbps: 0, utilizationPercent: 0, status: 'OK', byType: [] },
        });

        assert.deepEqual(await h.capacity('fra1', at('2026-01-20')), {
          ...HEADER,
          status: 'LEASED',
          asOf: at('2026-01-20'),
          overall: 'OK',
          space: { totalU: 42, usedU: 2, reservedU: 0, freeU: 40, utilizationPercent: 4.7619, status: 'OK', racks: [R1] },
          power: { provisionedKw: 11.1872, usableKw: 5.5936, allocatedKw: 1, reservedKw: 0, headroomKw: 4.5936, utilizationPercent: 17.8776, redundant: true, status: 'OK' },
          network: { capacityMbps: 1000, reservedMbps: 0, headroomMbps: 1000, utilizationPercent: 0, status: 'OK', byType: [{ type: 'TRANSIT', capacityMbps: 1000, circuits: 1 }] },
        });

        // Reservation s1 [03-01, 06-01) entered; p1 and b1 from 02-15; r2 one-sided, capped at 10 kW.
        assert.deepEqual(await h.capacity('fra1', at('2026-03-15')), {
          ...HEADER,
          status: 'LIVE',
          asOf: at('2026-03-15'),
          overall: 'OK',
          space: { totalU: 90, usedU: 7, reservedU: 20, freeU: 63, utilizationPercent: 30, status: 'OK', racks: [R1, R2] },
          power: { provisionedKw: 28.0366, usableKw: 15.5936, allocatedKw: 6.5, reservedKw: 2, headroomKw: 7.0936, utilizationPercent: 54.5095, redundant: false, status: 'OK' },
          network: {
            capacityMbps: 11500,
            reservedMbps: 1000,
            headroomMbps: 10500,
            utilizationPercent: 8.6957,
            status: 'OK',
            byType: [
              { type: 'IX_PEERING', capacityMbps: 10000, circuits: 1 },
              { type: 'TRANSIT', capacityMbps: 1500, circuits: 2 },
            ],
          },
        });

        // Lease l2 caps usable power at its contracted 9 kW on [04-01, 07-01); b1 released on 04-01.
        const april = await h.capacity('fra1', at('2026-04-15'));
        assert.deepEqual(april?.power, {
          provisionedKw: 28.0366, usableKw: 9, allocatedKw: 6.5, reservedKw: 2, headroomKw: 0.5, utilizationPercent: 94.4444, redundant: false, status: 'CRITICAL',
        });
        assert.deepEqual([april?.network.reservedMbps, april?.network.utilizationPercent, april?.overall], [0, 0, 'CRITICAL']);

        // Reservation s1 left on 06-01; d3 and c3 gone since 05-01; still capped.
        const june = await h.capacity('fra1', at('2026-06-15'));
        assert.deepEqual(june?.space, {
          totalU: 90, usedU: 6, reservedU: 0, freeU: 84, utilizationPercent: 6.6667, status: 'OK', racks: [R1, { ...R2, usedU: 4, freeU: 44, allocatedKw: 5 }],
        });
        assert.deepEqual([june?.power.usableKw, june?.power.utilizationPercent, june?.power.status], [9, 88.8889, 'CRITICAL']);
        assert.deepEqual(june?.network.byType, [
          { type: 'IX_PEERING', capacityMbps: 10000, circuits: 1 },
          { type: 'TRANSIT', capacityMbps: 1000, circuits: 1 },
        ]);

        // The day after the lease's inclusive end (06-30) the cap is gone; r3 (single + three phase, custom derating) is in.
        const july = await h.capacity('fra1', at('2026-07-01'));
        assert.deepEqual(july?.space.racks[2], { rackId: 'r3', totalU: 42, usedU: 0, freeU: 42, provisionedKw: 12.4345, usableKw: 3.68, allocatedKw: 0 });
        assert.deepEqual(july?.power, {
          provisionedKw: 40.4711, usableKw: 19.2736, allocatedKw: 6, reservedKw: 2, headroomKw: 11.2736, utilizationPercent: 41.5076, redundant: false, status: 'OK',
        });
        assert.equal((await h.capacity('fra1', at('2026-06-30', '23:59')))?.power.usableKw, 9);

        // Far future: what is planned stays; an unknown PoP has no capacity.
        assert.deepEqual((await h.capacity('fra1', at('2031-01-01')))?.power, july?.power);
        assert.equal(await h.capacity('nowhere', at('2026-03-15')), null);

        // Back-dated facts recorded now correct the past: a device from 01-05 and the lease ended early.
        await h.run(fra.device(at('2026-01-05'), 'd0', 'r1', 20, 3, 200));
        await h.run(fra.terminateLease(at('2026-04-10'), 'l2', '2026-04-30'));
        await h.sync();
        const corrected = await h.capacity('fra1', at('2026-01-20'));
        assert.deepEqual(corrected?.space.racks, [{ ...R1, usedU: 5, freeU: 37, allocatedKw: 1.2 }]);
        assert.deepEqual([corrected?.space.usedU, corrected?.power.allocatedKw, corrected?.power.utilizationPercent], [5, 1.2, 21.4531]);
        assert.equal((await h.capacity('fra1', at('2026-04-30', '23:59')))?.power.usableKw, 9);
        assert.equal((await h.capacity('fra1', at('2026-05-01')))?.power.usableKw, 15.5936);
      }));

    test('thresholds: 70 % is WARNING, 80 % CRITICAL; overall is the worst; zero capacity with demand is 100 %', () =>
      withPlanning(database, async (h) => {
        const ams = popCommands('ams1');
        for (const command of [
          ams.register(at('2026-01-01'), { countryCode: 'NL' }),
          ams.lease(at('2026-01-01'), 'l1'),
          ams.rack(at('2026-01-01'), 'r1', { heightU: 10 }),
          ams.device(at('2026-01-01'), 'd1', 'r1', 1, 6, 0),
          ams.reserve(at('2026-01-01'), 's1', 'SPACE_U', 1, at('2026-02-01')),
          ams.reserve(at('2026-01-01'), 's2', 'SPACE_U', 1, at('2026-03-01')),
          // No feed: usable 0; a draw under the rules' float tolerance still counts as demand.
          ams.device(at('2026-04-01'), 'd2', 'r1', 9, 1, 0.0005),
        ]) {
          await h.run(command);
        }
        await h.sync();
        const space = async (date: string) => {
          const capacity = await h.capacity('ams1', at(date));
          return [capacity?.space.utilizationPercent, capacity?.space.status, capacity?.overall];
        };
        assert.deepEqual(await space('2026-01-15'), [60, 'OK', 'OK']);
        assert.deepEqual(await space('2026-02-15'), [70, 'WARNING', 'WARNING']);
        assert.deepEqual(await space('2026-03-15'), [80, 'CRITICAL', 'CRITICAL']);
        const power = async (date: string) => (await h.capacity('ams1', at(date)))?.power;
        assert.deepEqual(await power('2026-03-15'), {
          provisionedKw: 0, usableKw: 0, allocatedKw: 0, reservedKw: 0, headroomKw: 0, utilizationPercent: 0, redundant: true, status: 'OK',
        });
        assert.deepEqual(await power('2026-04-01'), {
          provisionedKw: 0, usableKw: 0, allocatedKw: 0, reservedKw: 0, headroomKw: 0, utilizationPercent: 100, redundant: true, status: 'CRITICAL',
        });
      }));

    test('without racks, a kept answer never outlives a projected command, nor a change of steps, status or circuits between two instants', () =>
      withPlanning(database, async (h) => {
        const aws = popCommands('aws2');
        await h.run(aws.register(at('2026-01-01'), { kind: 'VIRTUAL', operatorModel: 'CLOUD', cloudRegion: 'eu-central-1' }));
        await h.run(aws.circuit(at('2026-01-01'), 'c1', 1000, 'CLOUD_ONRAMP'));
        await h.run(aws.activate(at('2026-03-01')));
        await h.run(aws.disconnect(at('2026-04-01'), 'c1'));
        await h.run(aws.circuit(at('2026-04-01'), 'c2', 1000, 'TRANSIT'));
        await h.sync();
        const network = async (asOf: string) => {
          const capacity = await h.capacity('aws2', asOf, { racks: false, byType: true });
          return [capacity?.asOf, capacity?.status, capacity?.network.capacityMbps, capacity?.network.byType.map(({ type }) => type)];
        };
        assert.deepEqual(await network(at('2026-02-01')), [at('2026-02-01'), 'PLANNED', 1000, ['CLOUD_ONRAMP']]);
        assert.deepEqual(await network(at('2026-02-02')), [at('2026-02-02'), 'PLANNED', 1000, ['CLOUD_ONRAMP']]);
        // The status changes on 03-01; the capacity stays, the circuits by type change on 04-01.
        assert.deepEqual(await network(at('2026-03-01')), [at('2026-03-01'), 'LIVE', 1000, ['CLOUD_ONRAMP']]);
        assert.deepEqual(await network(at('2026-04-01')), [at('2026-04-01'), 'LIVE', 1000, ['TRANSIT']]);
        // A command projected since: the same instant answers with it.
        await h.run(aws.circuit(at('2026-01-01'), 'c3', 500, 'IX_PEERING'));
        await h.sync();
        assert.deepEqual(await network(at('2026-04-01')), [at('2026-04-01'), 'LIVE', 1500, ['IX_PEERING', 'TRANSIT']]);
      }));

    test('one PoP\'s capacity statements keep their generic plan: they are not planned again on each call', { skip: database.name !== 'postgres' && 'PostgreSQL prepares them' }, () =>
      withPlanning(database, async (h) => {
        await buildFra(h);
        const plans = await h.sql.withConnection(async (conn) => {
          // PostgreSQL weighs the generic plan against custom ones after five executions.
          for (let day = 1; day <= 7; day++) {
            const asOf = at(`2026-03-0${day}`);
            await readStepTotals(conn, asOf, { popIds: ['fra1'] }, { circuitTypes: true, until: true });
            await readPopCapacityInputs(conn, asOf, 'fra1');
          }
          const { rows } = await conn.query<{ generic: boolean }>(
            `SELECT generic_plans > 0 AS generic FROM pg_prepared_statements WHERE statement LIKE '%pop_id = $2::text%' ORDER BY statement LIKE '%rm_rack%'`,
          );
          return rows.map(({ generic }) => generic);
        });
        assert.deepEqual(plans, [true, true]);
      }));

    test('a virtual PoP has circuits only', () =>
      withPlanning(database, async (h) => {
        const aws = popCommands('aws1');
        await h.run(aws.register(at('2026-01-01'), { kind: 'VIRTUAL', operatorModel: 'CLOUD', cloudRegion: 'eu-central-1', monthlyCost: { amount: '5000', currency: 'EUR' } }));
        await h.run(aws.circuit(at('2026-01-01'), 'c1', 10000, 'CLOUD_ONRAMP'));
        await h.run(aws.reserve(at('2026-01-01'), 'b1', 'BANDWIDTH_MBPS', 7500));
        await h.run(aws.activate(at('2026-02-01')));
        await h.sync();
        const capacity = await h.capacity('aws1', at('2026-02-01'));
        assert.deepEqual([capacity?.status, capacity?.overall, capacity?.space.totalU, capacity?.power.usableKw], ['LIVE', 'WARNING', 0, 0]);
        assert.deepEqual(capacity?.network, {
          capacityMbps: 10000, reservedMbps: 7500, headroomMbps: 2500, utilizationPercent: 75, status: 'WARNING',
          byType: [{ type: 'CLOUD_ONRAMP', capacityMbps: 10000, circuits: 1 }],
        });
      }));
  });
}
