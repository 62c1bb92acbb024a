import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capacityAffectedFrom, resourceStatuses } from '../../../src/inventory/domain/capacity-change.rules';
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
