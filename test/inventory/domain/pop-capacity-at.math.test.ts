import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { popCapacityAt } from '../../../src/inventory/domain/pop-capacity-at.math';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { PopAggregate } from '../../../src/inventory/domain/pop.state';
import { iso, popEvents, T0 } from '../../support/pop-builders';

const { registered, leased, rack, feed, device, deviceRemoved, circuit, circuitDisconnected, reserved } = popEvents;
const thresholds = { warnPercent: 70, criticalPercent: 80 };

function stateOf(events: PopEvent[]): PopAggregate {
  let state = popDecider.initialState();
  for (const event of events) state = popDecider.evolve(state, event);
  return state as PopAggregate;
}

// r1: A 5.5936 + B 2.7968 kW (redundant, usable 2.7968); r2: A 16.8494 kW capped at maxPowerKw 10 (not redundant).
const site = [
  registered(),
  leased(T0, { endsOn: '2027-12-31' }),
  leased(T0, { leaseId: 'l2', endsOn: '2027-06-30', contractedPowerKw: 9 }),
  rack(T0, 'r1'),
  rack(T0, 'r2', { heightU: 48, maxPowerKw: 10 }),
  feed(T0, 'fa', 'r1'),
  feed(T0, 'fb', 'r1', { side: 'B', amperage: 16 }),
  feed(T0, 'f2', 'r2', { phase: 'THREE', voltage: 400 }),
  device(T0, 'd1', 'r1', 1, 2, 1000),
  device(T0, 'd2', 'r2', 1, 4, 5000),
  device(T0, 'd3', 'r2', 10, 1, 500),
  deviceRemoved(iso('2027-03-01'), 'd3'),
  circuit(T0, 'c1', 1000),
  circuit(T0, 'c2', 10000, { type: 'IX_PEERING' }),
  circuit(T0, 'c3', 500),
  circuitDisconnected(iso('2027-03-01'), 'c3'),
  reserved(T0, 's1', 'SPACE_U', 20, T0, iso('2027-06-01')),
  reserved(T0, 's2', 'POWER_KW', 2),
  reserved(T0, 's3', 'BANDWIDTH_MBPS', 1000),
];

describe('popCapacityAt', () => {
  it('answers the GraphQL shapes with exact figures', () => {
    assert.deepEqual(popCapacityAt(stateOf(site), iso('2027-02-01'), thresholds), {
      space: {
        totalU: 90,
        usedU: 7,
        reservedU: 20,
        freeU: 63,
        utilizationPercent: 30,
        status: 'OK',
        racks: [
          { rackId: 'r1', totalU: 42, usedU: 2, freeU: 40, provisionedKw: 8.3904, usableKw: 2.7968, allocatedKw: 1 },
          { rackId: 'r2', totalU: 48, usedU: 5, freeU: 43, provisionedKw: 16.8494, usableKw: 10, allocatedKw: 5.5 },
        ],
      },
      power: {
        provisionedKw: 25.2398,
        usableKw: 9,
        allocatedKw: 6.5,
        reservedKw: 2,
        headroomKw: 0.5,
        utilizationPercent: 94.4444,
        redundant: false,
        status: 'CRITICAL',
      },
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
      overall: 'CRITICAL',
    });
  });

  it('drops removed things from their removal on', () => {
    const capacity = popCapacityAt(stateOf(site), iso('2027-03-01'), thresholds);
    assert.equal(capacity.space.usedU, 6);
    assert.equal(capacity.power.allocatedKw, 6);
    assert.deepEqual(capacity.network.byType[1], { type: 'TRANSIT', capacityMbps: 1000, circuits: 1 });
  });

  it('keeps the contract cap through the lease’s last day (endsOn inclusive)', () => {
    assert.equal(popCapacityAt(stateOf(site), iso('2027-06-30', '23:59'), thresholds).power.usableKw, 9);
    const july = popCapacityAt(stateOf(site), iso('2027-07-01'), thresholds).power;
    assert.deepEqual(july, {
      provisionedKw: 25.2398,
      usableKw: 12.7968,
      allocatedKw: 6,
      reservedKw: 2,
      headroomKw: 4.7968,
      utilizationPercent: 62.5156,
      redundant: false,
      status: 'OK',
    });
  });

  it('ends a reservation at its until', () => {
    assert.equal(popCapacityAt(stateOf(site), iso('2027-05-31', '23:59'), thresholds).space.reservedU, 20);
    assert.equal(popCapacityAt(stateOf(site), iso('2027-06-01'), thresholds).space.reservedU, 0);
  });

  it('is empty and OK before anything is installed', () => {
    assert.deepEqual(popCapacityAt(stateOf(site), iso('2026-12-31'), thresholds), {
      space: { totalU: 0, usedU: 0, reservedU: 0, freeU: 0, utilizationPercent: 0, status: 'OK', racks: [] },
      power: { provisionedKw: 0, usableKw: 0, allocatedKw: 0, reservedKw: 0, headroomKw: 0, utilizationPercent: 0, redundant: true, status: 'OK' },
      network: { capacityMbps: 0, reservedMbps: 0, headroomMbps: 0, utilizationPercent: 0, status: 'OK', byType: [] },
      overall: 'OK',
    });
  });

  it('reports a redundant PoP when every fed rack has both sides', () => {
    const redundant = [registered(), leased(T0), rack(T0, 'r1'), rack(T0, 'r2'), feed(T0, 'fa', 'r1'), feed(T0, 'fb', 'r1', { side: 'B' })];
    assert.equal(popCapacityAt(stateOf(redundant), T0, thresholds).power.redundant, true);
  });
});
