import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testDatabases } from '../../support/test-databases';
import { at, popCommands, withPlanning } from './planning-harness';

const NOW = at('2026-12-31');

for (const database of testDatabases()) {
  describe(`capacityForecast (${database.name})`, () => {
    test('least-squares line through the utilization at each change point of the last 365 days', () =>
      withPlanning(database, async (h) => {
        const fc = popCommands('fc1');
        for (const command of [
          fc.register(at('2025-01-01')),
          fc.lease(at('2025-01-01'), 'l1'),
          fc.rack(at('2025-06-01'), 'r1', { heightU: 10 }),
          fc.feed(at('2025-06-01'), 'fa', 'r1', 'A'),
          fc.device(at('2025-06-01'), 'd1', 'r1', 1, 1, 0),
          fc.circuit(at('2025-06-01'), 'c1', 1000),
          // In the window: space 20 %, 30 %, 40 % every 61 days (at noon, so crossings fall mid-day).
          fc.device(at('2026-03-01', '12:00'), 'd2', 'r1', 2, 1, 0),
          fc.device(at('2026-05-01', '12:00'), 'd3', 'r1', 3, 1, 0),
          fc.device(at('2026-07-01', '12:00'), 'd4', 'r1', 4, 1, 0),
          // Bandwidth 30 % from 02-01, 0 % again from 06-01; a power-only change in between.
          fc.reserve(at('2026-02-01'), 'b1', 'BANDWIDTH_MBPS', 300),
          fc.release(at('2026-06-01'), 'b1'),
          fc.feed(at('2026-04-01'), 'fb', 'r1', 'B'),
          // Planned after now: not part of the trend.
          fc.device(at('2027-02-01'), 'd5', 'r1', 5, 5, 0),
        ]) {
          await h.run(command);
        }
        await h.sync();

        // Points (x in days before now): (-304.5, 20), (-243.5, 30), (-182.5, 40): slope 10/61 per day,
        // 69.918 % now on the line (30 + 243.5 × 10/61), 100 % 183.5 days later (2027-07-02 at noon), 80 % in 2027-03-02.
        assert.deepEqual(await h.forecast('fc1', 'SPACE_U', NOW), {
          resource: 'SPACE_U', currentUtilizationPercent: 40, dailyGrowthPercent: 0.1639, exhaustsOn: '2027-07-02', criticalOn: '2027-03-02', basedOnPoints: 3,
          points: [
            { at: at('2026-03-01', '12:00'), utilizationPercent: 20 },
            { at: at('2026-05-01', '12:00'), utilizationPercent: 30 },
            { at: at('2026-07-01', '12:00'), utilizationPercent: 40 },
          ],
          fittedNowPercent: 69.918, warningPercent: 70, criticalPercent: 80,
        });
        // (-333, 30), (-213, 0): falling, never exhausted.
        assert.deepEqual(await h.forecast('fc1', 'BANDWIDTH_MBPS', NOW), {
          resource: 'BANDWIDTH_MBPS', currentUtilizationPercent: 0, dailyGrowthPercent: -0.25, exhaustsOn: null, criticalOn: null, basedOnPoints: 2,
          points: [{ at: at('2026-02-01'), utilizationPercent: 30 }, { at: at('2026-06-01'), utilizationPercent: 0 }],
          fittedNowPercent: -53.25, warningPercent: 70, criticalPercent: 80,
        });
        // No draw at all: only the change before the window, flat.
        assert.deepEqual(await h.forecast('fc1', 'POWER_KW', NOW), {
          resource: 'POWER_KW', currentUtilizationPercent: 0, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: null, basedOnPoints: 0,
          points: [], fittedNowPercent: null, warningPercent: 70, criticalPercent: 80,
        });
        // Half a year later the window holds 07-01 (40 %) and the then past 2027-02-01 (90 %): slope 50/214.5;
        // the line is above 100 % already (124.7 now), so exhaustion is today, as is critical (90 % now).
        assert.deepEqual(await h.forecast('fc1', 'SPACE_U', at('2027-06-30')), {
          resource: 'SPACE_U', currentUtilizationPercent: 90, dailyGrowthPercent: 0.2331, exhaustsOn: '2027-06-30', criticalOn: '2027-06-30', basedOnPoints: 2,
          points: [{ at: at('2026-07-01', '12:00'), utilizationPercent: 40 }, { at: at('2027-02-01'), utilizationPercent: 90 }],
          fittedNowPercent: 124.7319, warningPercent: 70, criticalPercent: 80,
        });
        assert.equal(await h.forecast('nowhere', 'SPACE_U', NOW), null);
      }));

    test('utilization reached before the window still counts as current', () =>
      withPlanning(database, async (h) => {
        const fc = popCommands('fc2');
        for (const command of [
          fc.register(at('2025-01-01')),
          fc.lease(at('2025-01-01'), 'l1'),
          fc.rack(at('2025-03-01'), 'r1', { heightU: 10 }),
          fc.device(at('2025-03-01'), 'd1', 'r1', 1, 9, 0),
        ]) {
          await h.run(command);
        }
        await h.sync();
        assert.deepEqual(await h.forecast('fc2', 'SPACE_U', NOW), {
          resource: 'SPACE_U', currentUtilizationPercent: 90, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: '2026-12-31', basedOnPoints: 0,
          points: [], fittedNowPercent: null, warningPercent: 70, criticalPercent: 80,
        });
      }));
  });
}
