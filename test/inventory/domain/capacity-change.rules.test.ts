import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { capacityAffectedFrom, resourceStatuses, steadyStatuses } from '../../../src/inventory/domain/capacity-change.rules';
import { CapacityTotals } from '../../../src/inventory/domain/pop-capacity-at.math';
import { PopEvent } from '../../../src/inventory/domain/pop.events';

const thresholds = { warnPercent: 70, criticalPercent: 80 };
const totals = (fields: Partial<CapacityTotals>): CapacityTotals => ({
  totalU: 0, usedU: 0, provisionedKw: 0, racksUsableKw: 0, allocatedKw: 0, redundant: true,
  reserved: { SPACE_U: 0, POWER_KW: 0, BANDWIDTH_MBPS: 0 }, contractedKw: 0, contractingLeases: 0, capacityMbps: 0, circuitTypes: [],
  ...fields,
});

describe('capacity status per resource (outbound CAPACITY_STATUS_CHANGED)', () => {
  it('judges each resource like `capacity` does, thresholds inclusive on the rounded utilization', () => {
    const statuses = resourceStatuses(
      totals({ totalU: 42, usedU: 30, racksUsableKw: 10, allocatedKw: 7, reserved: { SPACE_U: 0, POWER_KW: 1, BANDWIDTH_MBPS: 500 }, capacityMbps: 1000 }),
      thresholds,
    );
    assert.deepEqual(statuses, {
      SPACE_U: { status: 'WARNING', utilizationPercent: 71.4286 },
      POWER_KW: { status: 'CRITICAL', utilizationPercent: 80 },
      BANDWIDTH_MBPS: { status: 'OK', utilizationPercent: 50 },
    });
  });

  it('caps usable power by the contracted power of the leases that set it; zero capacity with demand is 100', () => {
    const statuses = resourceStatuses(totals({ racksUsableKw: 20, contractedKw: 10, contractingLeases: 1, allocatedKw: 7.5, reserved: { SPACE_U: 0, POWER_KW: 0, BANDWIDTH_MBPS: 1 } }), thresholds);
    assert.deepEqual(statuses.POWER_KW, { status: 'WARNING', utilizationPercent: 75 });
    assert.deepEqual(statuses.BANDWIDTH_MBPS, { status: 'CRITICAL', utilizationPercent: 100 });
    assert.deepEqual(statuses.SPACE_U, { status: 'OK', utilizationPercent: 0 });
  });

  it('knows the earliest instant an event can change the totals', () => {
    const at = '2026-05-01T12:00:00.000Z';
    const event = (type: string, data: Record<string, unknown>) => ({ type, data: { popId: 'p', ...data }, effectiveAt: at }) as unknown as PopEvent;
    assert.equal(capacityAffectedFrom(event('DeviceInstalled', {})), at);
    assert.equal(capacityAffectedFrom(event('SiteLeased', { startsOn: '2026-03-01' })), '2026-03-01T00:00:00.000Z');
    assert.equal(capacityAffectedFrom(event('CapacityReserved', { from: '2026-04-01T00:00:00.000Z' })), '2026-04-01T00:00:00.000Z');
    assert.equal(capacityAffectedFrom(event('CapacityReserved', { from: '2027-01-01T00:00:00.000Z' })), at);
    assert.equal(capacityAffectedFrom(event('LeaseTerminated', { endsOn: '2026-12-31' })), null);
    assert.equal(capacityAffectedFrom(event('PopActivated', {})), undefined);
  });
});

describe('statuses steady over bounds of the totals (the outbox skips such step blocks)', () => {
  const FIGURES = ['totalU', 'usedU', 'racksUsableKw', 'allocatedKw', 'contractedKw', 'contractingLeases', 'capacityMbps', 'SPACE_U', 'POWER_KW', 'BANDWIDTH_MBPS'] as const;
  type Figures = Record<(typeof FIGURES)[number], number>;
  const totalsOf = (f: Figures) =>
    totals({ ...f, reserved: { SPACE_U: f.SPACE_U, POWER_KW: f.POWER_KW, BANDWIDTH_MBPS: f.BANDWIDTH_MBPS } });
  // Small ranges around zero, often a single value: zero and negative capacities and demands come up.
  const bounds = fc.tuple(fc.integer({ min: -3, max: 50 }), fc.nat({ max: 4 }), fc.constantFrom(0, 0, 1, 5)).map(([low, spread, zeroSpread]) => [low, low + spread * zeroSpread]);
  const box = fc.record(Object.fromEntries(FIGURES.map((figure) => [figure, bounds])) as Record<(typeof FIGURES)[number], fc.Arbitrary<number[]>>);

  it('gives a status only when every totals within the bounds has it', () => {
    let steady = 0;
    fc.assert(
      fc.property(box, fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: FIGURES.length, maxLength: FIGURES.length }), { minLength: 1, maxLength: 8 }), (ranges, samples) => {
        const low = totalsOf(Object.fromEntries(FIGURES.map((figure) => [figure, ranges[figure][0]])) as Figures);
        const high = totalsOf(Object.fromEntries(FIGURES.map((figure) => [figure, ranges[figure][1]])) as Figures);
        const statuses = steadyStatuses(low, high, thresholds);
        if (statuses === null) return;
        steady++;
        // The corners and points inside (contracting leases are counts).
        for (const sample of [FIGURES.map(() => 0), FIGURES.map(() => 1), ...samples]) {
          const figures = Object.fromEntries(
            FIGURES.map((figure, f) => {
              const [from, to] = ranges[figure];
              const value = from + (to - from) * sample[f];
              return [figure, figure === 'contractingLeases' ? Math.round(value) : value];
            }),
          ) as Figures;
          const actual = resourceStatuses(totalsOf(figures), thresholds);
          assert.deepEqual({ SPACE_U: actual.SPACE_U.status, POWER_KW: actual.POWER_KW.status, BANDWIDTH_MBPS: actual.BANDWIDTH_MBPS.status }, statuses, JSON.stringify(figures));
        }
      }),
      { numRuns: 3_000 },
    );
    assert.ok(steady > 300, `${steady} of 3,000 bounds were steady`);
  });
});
