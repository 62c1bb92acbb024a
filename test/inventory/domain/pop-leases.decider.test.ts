import { describe, it } from 'node:test';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { deciderSpec } from '../../support/decider-spec';
import { eur, iso, popCommand, popEvents, T0 } from '../../support/pop-builders';

const spec = deciderSpec(popDecider);
const { registered, leased, leaseTerminated, rack, feed, device } = popEvents;

describe('leases', () => {
  it('records a lease with defaults applied', () => {
    spec
      .given([registered()])
      .when(popCommand('LeaseSite', { leaseId: 'l1', lessor: 'Equinix', startsOn: '2027-01-01', monthlyCost: eur('1000'), contractedPowerKw: 20 }, T0))
      .then([leased(T0, { contractedPowerKw: 20 })]);
  });

  it('rejects a lease ending before it starts, and a reused lease id', () => {
    spec
      .given([registered()])
      .when(popCommand('LeaseSite', { leaseId: 'l1', lessor: 'Equinix', startsOn: '2027-02-01', endsOn: '2027-01-31', monthlyCost: eur('1') }, T0))
      .thenInvalidInput('endsOn');
    spec
      .given([registered(), leased(T0)])
      .when(popCommand('LeaseSite', { leaseId: 'l1', lessor: 'Equinix', startsOn: '2027-02-01', monthlyCost: eur('1') }, T0))
      .thenThrows('DUPLICATE_ID', 'lease l1 already exists in PoP p1');
  });
});

describe('NO_LEASE', () => {
  const lease = leased(T0, { startsOn: '2027-02-01', endsOn: '2027-03-31' });

  it('needs an active lease at the rack’s effective time', () => {
    spec
      .given([registered()])
      .when(popCommand('InstallRack', { rackId: 'r1' }, T0))
      .thenThrows('NO_LEASE', 'rack r1 needs an active lease at 2027-01-01T00:00:00.000Z; PoP p1 has none then');
    spec.given([registered(), lease]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-01-31', '23:59'))).thenThrows('NO_LEASE');
    spec.given([registered(), lease]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-02-01'))).then([rack(iso('2027-02-01'), 'r1')]);
  });

  it('counts endsOn as the lease’s last day, inclusive', () => {
    spec.given([registered(), lease]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-03-31', '23:59'))).then([rack(iso('2027-03-31', '23:59'), 'r1')]);
    spec.given([registered(), lease]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-04-01'))).thenThrows('NO_LEASE');
  });

  it('accepts a back-dated rack within a lease signed later', () => {
    const lateLease = leased(iso('2027-06-01'), { startsOn: '2027-01-01' });
    spec.given([registered(), lateLease]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-02-01'))).then([rack(iso('2027-02-01'), 'r1')]);
  });
});

describe('RACK_LIMIT', () => {
  const limited = [registered(), leased(T0, { maxRacks: 2 }), rack(T0, 'r1'), rack(T0, 'r2')];

  it('bounds racks present by the active leases’ maxRacks', () => {
    spec
      .given(limited)
      .when(popCommand('InstallRack', { rackId: 'r3' }, iso('2027-02-01')))
      .thenThrows('RACK_LIMIT', 'PoP p1 would have 3 racks where its active leases allow 2, at 2027-02-01T00:00:00.000Z');
    spec
      .given([...limited, popEvents.rackRemoved(iso('2027-01-15'), 'r2')])
      .when(popCommand('InstallRack', { rackId: 'r3' }, iso('2027-02-01')))
      .then([rack(iso('2027-02-01'), 'r3')]);
  });

  it('sums maxRacks over the active leases', () => {
    spec
      .given([...limited, leased(T0, { leaseId: 'l2', maxRacks: 1 })])
      .when(popCommand('InstallRack', { rackId: 'r3' }, iso('2027-02-01')))
      .then([rack(iso('2027-02-01'), 'r3')]);
  });

  it('rejects a back-dated rack that exceeds the limit once a later rack is present', () => {
    spec
      .given([registered(), leased(T0, { maxRacks: 1 }), rack(iso('2027-03-01'), 'r1')])
      .when(popCommand('InstallRack', { rackId: 'r0' }, iso('2027-02-01')))
      .thenThrows('RACK_LIMIT', /at 2027-03-01T00:00:00.000Z$/);
  });

  it('counts a planned removal: a rack fits from the removal on, not before', () => {
    const planned = [registered(), leased(T0, { maxRacks: 1 }), rack(T0, 'r1'), popEvents.rackRemoved(iso('2027-03-01'), 'r1')];
    spec.given(planned).when(popCommand('InstallRack', { rackId: 'r2' }, iso('2027-03-01'))).then([rack(iso('2027-03-01'), 'r2')]);
    spec.given(planned).when(popCommand('InstallRack', { rackId: 'r2' }, iso('2027-02-01'))).thenThrows('RACK_LIMIT', 'PoP p1 would have 2 racks where its active leases allow 1, at 2027-02-01T00:00:00.000Z');
  });

  it('rejects a new limited lease below the racks already present', () => {
    spec
      .given([registered(), leased(T0), rack(T0, 'r1'), rack(T0, 'r2')])
      .when(popCommand('LeaseSite', { leaseId: 'l2', lessor: 'X', startsOn: '2027-03-01', monthlyCost: eur('1'), maxRacks: 1 }, T0))
      .thenThrows('RACK_LIMIT', 'PoP p1 would have 2 racks where its active leases allow 1, at 2027-03-01T00:00:00.000Z');
  });

  it('rejects ending one of two limited leases while its racks stay', () => {
    spec
      .given([...limited, leased(T0, { leaseId: 'l2', maxRacks: 1 }), rack(T0, 'r3')])
      .when(popCommand('TerminateLease', { leaseId: 'l2', endsOn: '2027-05-31' }, iso('2027-02-01')))
      .thenThrows('RACK_LIMIT', 'PoP p1 would have 3 racks where its active leases allow 2, at 2027-06-01T00:00:00.000Z');
  });

  it('lifts the limit when the only limited lease ends', () => {
    spec
      .given([...limited, leased(T0, { leaseId: 'l2' })])
      .when(popCommand('TerminateLease', { leaseId: 'l1', endsOn: '2027-01-31' }, T0))
      .then([leaseTerminated(T0, 'l1', '2027-01-31')]);
  });
});

describe('contracted power', () => {
  // Two 16.8494 kW three-phase feeds on r1; the lease contracts 10 kW.
  const threePhase = { phase: 'THREE' as const, voltage: 400 };
  const contracted = [registered(), leased(T0, { contractedPowerKw: 10 }), rack(T0, 'r1'), feed(T0, 'f1', 'r1', threePhase)];

  it('caps the PoP’s usable power', () => {
    spec
      .given(contracted)
      .when(popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 12000 }, T0))
      .thenThrows(
        'POWER_EXCEEDED',
        'PoP p1 would allocate 12 kW and reserve 0 kW of 10 kW usable (racks 16.8494 kW, leases\' contracted power 10 kW) at 2027-01-01T00:00:00.000Z',
      );
    spec
      .given(contracted)
      .when(popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 10000 }, T0))
      .then([device(T0, 'd1', 'r1', 1, 2, 10000)]);
  });

  it('sums the contracted power of the active leases', () => {
    spec
      .given([...contracted, leased(T0, { leaseId: 'l2', contractedPowerKw: 5 })])
      .when(popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 15000 }, T0))
      .then([device(T0, 'd1', 'r1', 1, 2, 15000)]);
  });

  it('rejects a back-dated termination that leaves later needs above the contract', () => {
    spec
      .given([...contracted, leased(T0, { leaseId: 'l2', contractedPowerKw: 5 }), device(iso('2027-06-01'), 'd1', 'r1', 1, 2, 15000)])
      .when(popCommand('TerminateLease', { leaseId: 'l2', endsOn: '2027-03-31' }, iso('2027-02-01')))
      .thenThrows('POWER_EXCEEDED', /would allocate 15 kW and reserve 0 kW of 10 kW usable .* at 2027-06-01T00:00:00.000Z$/);
  });

  it('rejects a new contracting lease below what is already allocated', () => {
    spec
      .given([registered(), leased(T0), rack(T0, 'r1'), feed(T0, 'f1', 'r1', threePhase), device(T0, 'd1', 'r1', 1, 2, 12000)])
      .when(popCommand('LeaseSite', { leaseId: 'l2', lessor: 'X', startsOn: '2027-02-01', monthlyCost: eur('1'), contractedPowerKw: 10 }, T0))
      .thenThrows('POWER_EXCEEDED', /at 2027-02-01T00:00:00.000Z$/);
  });
});

describe('terminateLease', () => {
  const open = [registered(), leased(T0, { startsOn: '2027-01-01' })];

  it('sets the inclusive last day', () => {
    spec.given(open).when(popCommand('TerminateLease', { leaseId: 'l1', endsOn: '2027-12-31' }, iso('2027-06-01'))).then([leaseTerminated(iso('2027-06-01'), 'l1', '2027-12-31')]);
  });

  it('stops racks being installed after the last day', () => {
    spec
      .given([...open, leaseTerminated(iso('2027-06-01'), 'l1', '2027-12-31')])
      .when(popCommand('InstallRack', { rackId: 'r1' }, iso('2028-01-01')))
      .thenThrows('NO_LEASE');
  });

  it('rejects an end before the start', () => {
    spec.given(open).when(popCommand('TerminateLease', { leaseId: 'l1', endsOn: '2026-12-31' }, iso('2027-06-01'))).thenInvalidInput('endsOn');
  });

  it('rejects an unknown lease, one not signed yet, and one already ended', () => {
    spec.given(open).when(popCommand('TerminateLease', { leaseId: 'l9', endsOn: '2027-12-31' }, T0)).thenThrows('UNKNOWN_ID', 'lease l9 does not exist in PoP p1');
    spec
      .given([registered(), leased(iso('2027-03-01'))])
      .when(popCommand('TerminateLease', { leaseId: 'l1', endsOn: '2027-12-31' }, iso('2027-02-01')))
      .thenThrows('UNKNOWN_ID', 'lease l1 is signed only at 2027-03-01T00:00:00.000Z, not at 2027-02-01T00:00:00.000Z');
    spec
      .given([...open, leaseTerminated(iso('2027-06-01'), 'l1', '2027-06-30')])
      .when(popCommand('TerminateLease', { leaseId: 'l1', endsOn: '2027-06-15' }, iso('2027-07-01')))
      .thenThrows('UNKNOWN_ID', 'lease l1 is no longer active at 2027-07-01T00:00:00.000Z: it ended at 2027-07-01T00:00:00.000Z');
  });
});
