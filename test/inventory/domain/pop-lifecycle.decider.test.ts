import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { popStatusAsOf } from '../../../src/inventory/domain/pop-lifecycle.rules';
import { deciderSpec } from '../../support/decider-spec';
import { eur, iso, POP, popCommand, popEvents, T0 } from '../../support/pop-builders';

const spec = deciderSpec(popDecider);
const { registered, virtualRegistered, leased, transition, rack } = popEvents;

function statusAfter(events: PopEvent[], at: string) {
  let state = popDecider.initialState();
  for (const event of events) state = popDecider.evolve(state, event);
  return popStatusAsOf(state, at);
}

describe('PoP registration', () => {
  it('records the PoP with absent optional fields as null', () => {
    spec
      .given([])
      .when(popCommand('RegisterPop', { code: 'FRA1', name: 'Frankfurt 1', kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'DE' }, T0))
      .then([registered()]);
  });

  it('normalises the effective time to milliseconds and Z', () => {
    spec
      .given([])
      .when(popCommand('RegisterPop', { code: 'FRA1', name: 'Frankfurt 1', kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'DE' }, '2027-01-01T01:00:00+01:00'))
      .then([registered(T0)]);
  });

  it('rejects a second registration of the same PoP', () => {
    spec
      .given([registered()])
      .when(popCommand('RegisterPop', { code: 'X', name: 'X', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE' }, T0))
      .thenThrows('DUPLICATE_ID', 'PoP p1 is already registered');
  });

  it('rejects a country code that ISO 3166-1 does not assign', () => {
    spec
      .given([])
      .when(popCommand('RegisterPop', { code: 'X', name: 'X', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'XK' }, T0))
      .thenInvalidInput('countryCode');
  });

  it('answers NOT_FOUND for any other command on a PoP that does not exist', () => {
    spec.given([]).when(popCommand('ActivatePop', {}, T0)).thenNotFound('PoP p1 does not exist');
    spec.given([]).when(popCommand('InstallRack', { rackId: 'r1' }, T0)).thenNotFound();
  });

  it('rejects an effective time that is not ISO 8601', () => {
    spec.given([registered()]).when(popCommand('ActivatePop', {}, 'next tuesday')).thenInvalidInput('effectiveAt');
  });
});

describe('PoP lifecycle (physical)', () => {
  const live = [
    registered(),
    leased(iso('2027-01-05')),
    transition('BuildOutStarted', iso('2027-02-01')),
    transition('PopActivated', iso('2027-03-01')),
  ];

  it('goes PLANNED → LEASED with the first lease, then in order to CLOSED', () => {
    spec.given([registered()]).when(popCommand('LeaseSite', { leaseId: 'l1', lessor: 'Equinix', startsOn: '2027-01-05', monthlyCost: eur('1000') }, iso('2027-01-05'))).then([leased(iso('2027-01-05'))]);
    spec.given(live.slice(0, 2)).when(popCommand('StartBuildOut', {}, iso('2027-02-01'))).then([live[2]]);
    spec.given(live.slice(0, 3)).when(popCommand('ActivatePop', {}, iso('2027-03-01'))).then([live[3]]);
    spec.given(live).when(popCommand('StartDecommission', {}, iso('2028-01-01'))).then([transition('DecommissionStarted', iso('2028-01-01'))]);
    spec
      .given([...live, transition('DecommissionStarted', iso('2028-01-01'))])
      .when(popCommand('ClosePop', {}, iso('2028-02-01')))
      .then([transition('PopClosed', iso('2028-02-01'))]);
  });

  it('reports the status at each instant; before registration the PoP counts as PLANNED', () => {
    assert.equal(statusAfter(live, iso('2026-06-01')), 'PLANNED');
    assert.equal(statusAfter(live, iso('2027-01-04', '23:59')), 'PLANNED');
    assert.equal(statusAfter(live, iso('2027-01-05')), 'LEASED');
    assert.equal(statusAfter(live, iso('2027-02-15')), 'BUILDING');
    assert.equal(statusAfter(live, iso('2027-03-01')), 'LIVE');
    assert.equal(statusAfter([], iso('2027-03-01')), null);
  });

  it('rejects skipping a step', () => {
    spec.given([registered()]).when(popCommand('StartBuildOut', {}, T0)).thenThrows('INVALID_TRANSITION', 'PoP p1 is PLANNED; StartBuildOut needs LEASED');
    spec.given(live.slice(0, 2)).when(popCommand('ActivatePop', {}, iso('2027-02-01'))).thenThrows('INVALID_TRANSITION', 'PoP p1 is LEASED; ActivatePop needs BUILDING');
    spec.given(live).when(popCommand('ClosePop', {}, iso('2028-01-01'))).thenThrows('INVALID_TRANSITION', 'PoP p1 is LIVE; ClosePop needs DECOMMISSIONING');
  });

  it('rejects going back or repeating a step', () => {
    spec.given(live).when(popCommand('StartBuildOut', {}, iso('2028-01-01'))).thenThrows('INVALID_TRANSITION');
    spec.given(live).when(popCommand('ActivatePop', {}, iso('2028-01-01'))).thenThrows('INVALID_TRANSITION');
  });

  it('rejects a transition effective before the latest one, accepts one at the same instant', () => {
    spec
      .given(live)
      .when(popCommand('StartDecommission', {}, iso('2027-02-28')))
      .thenThrows('INVALID_TRANSITION', 'PoP p1 became LIVE at 2027-03-01T00:00:00.000Z; StartDecommission at 2027-02-28T00:00:00.000Z would precede it');
    spec.given(live).when(popCommand('StartDecommission', {}, iso('2027-03-01'))).then([transition('DecommissionStarted', iso('2027-03-01'))]);
  });

  it('lets later leases add capacity in any state but CLOSED, without a transition', () => {
    const second = leased(iso('2027-06-01'), { leaseId: 'l2', lessor: 'Digital Realty' });
    spec
      .given(live)
      .when(popCommand('LeaseSite', { leaseId: 'l2', lessor: 'Digital Realty', startsOn: '2027-06-01', monthlyCost: eur('1000') }, iso('2027-06-01')))
      .then([second]);
    assert.equal(statusAfter([...live, second], iso('2027-07-01')), 'LIVE');
  });
});

describe('PoP lifecycle (virtual)', () => {
  it('goes PLANNED → LIVE → DECOMMISSIONING → CLOSED', () => {
    spec.given([virtualRegistered()]).when(popCommand('ActivatePop', {}, iso('2027-02-01'))).then([transition('PopActivated', iso('2027-02-01'))]);
    spec
      .given([virtualRegistered(), transition('PopActivated', iso('2027-02-01'))])
      .when(popCommand('StartDecommission', {}, iso('2027-05-01')))
      .then([transition('DecommissionStarted', iso('2027-05-01'))]);
  });

  it('has no lease, build-out, rack, feed, device or space and power reservation', () => {
    const given = spec.given([virtualRegistered()]);
    given.when(popCommand('StartBuildOut', {}, T0)).thenThrows('INVALID_TRANSITION', 'PoP p1 is VIRTUAL: StartBuildOut does not apply');
    given.when(popCommand('LeaseSite', { leaseId: 'l1', lessor: 'AWS', startsOn: '2027-01-01', monthlyCost: eur('1') }, T0)).thenThrows('INVALID_TRANSITION', 'PoP p1 is VIRTUAL and cannot take lease l1');
    given.when(popCommand('InstallRack', { rackId: 'r1' }, T0)).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('AddPowerFeed', { feedId: 'f1', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 16 }, T0)).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 1 }, T0)).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'SPACE_U', amount: 1 }, T0)).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'POWER_KW', amount: 1 }, T0)).thenThrows('INVALID_TRANSITION');
  });

  it('has circuits and bandwidth reservations', () => {
    const circuit = popEvents.circuit(T0, 'c1', 1000, { type: 'CLOUD_ONRAMP' });
    spec
      .given([virtualRegistered()])
      .when(popCommand('ConnectCarrier', { circuitId: 'c1', carrier: 'Lumen', type: 'CLOUD_ONRAMP', bandwidthMbps: 1000, monthlyCost: eur('800') }, T0))
      .then([circuit]);
    spec
      .given([virtualRegistered(), circuit])
      .when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 400 }, T0))
      .then([popEvents.reserved(T0, 's1', 'BANDWIDTH_MBPS', 400)]);
  });
});

describe('CLOSED PoPs', () => {
  const closing = [
    registered(),
    leased(T0),
    rack(iso('2027-01-02'), 'r1'),
    transition('BuildOutStarted', iso('2027-01-03')),
    transition('PopActivated', iso('2027-01-04')),
    transition('DecommissionStarted', iso('2027-06-01')),
  ];
  const closed = [...closing, transition('PopClosed', iso('2027-07-01'))];

  it('cannot close while something is added at or after the closing instant', () => {
    spec
      .given([...closing, rack(iso('2027-08-01'), 'r2')])
      .when(popCommand('ClosePop', {}, iso('2027-07-01')))
      .thenThrows('INVALID_TRANSITION', 'PoP p1 has something added or starting at 2027-08-01T00:00:00.000Z; it cannot close at 2027-07-01T00:00:00.000Z');
    spec
      .given([...closing, popEvents.reserved(iso('2027-05-01'), 's1', 'SPACE_U', 2, iso('2027-09-01'))])
      .when(popCommand('ClosePop', {}, iso('2027-07-01')))
      .thenThrows('INVALID_TRANSITION');
  });

  it('takes nothing new from the closing instant on', () => {
    const given = spec.given(closed);
    given.when(popCommand('InstallRack', { rackId: 'r2' }, iso('2027-07-01'))).thenThrows('INVALID_TRANSITION', 'PoP p1 is CLOSED from 2027-07-01T00:00:00.000Z; rack r2 would take effect at 2027-07-01T00:00:00.000Z');
    given.when(popCommand('ConnectCarrier', { circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10, monthlyCost: eur('1') }, iso('2027-08-01'))).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('LeaseSite', { leaseId: 'l2', lessor: 'X', startsOn: '2027-08-01', monthlyCost: eur('1') }, iso('2027-08-01'))).thenThrows('INVALID_TRANSITION');
    given.when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'SPACE_U', amount: 1, from: iso('2027-07-02') }, iso('2027-06-15'))).thenThrows('INVALID_TRANSITION');
  });

  it('still accepts late facts effective before the close, and removals after it', () => {
    spec.given(closed).when(popCommand('InstallRack', { rackId: 'r2' }, iso('2027-02-01'))).then([rack(iso('2027-02-01'), 'r2')]);
    spec.given(closed).when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-08-01'))).then([popEvents.rackRemoved(iso('2027-08-01'), 'r1')]);
  });
});

describe('stream state', () => {
  it('keeps ids such as __proto__ and constructor as ordinary ids', () => {
    const events = [registered(), leased(T0), rack(T0, '__proto__'), popEvents.feed(T0, 'constructor', '__proto__')];
    spec.given(events).when(popCommand('InstallRack', { rackId: '__proto__' }, T0)).thenThrows('DUPLICATE_ID', `rack __proto__ already exists in PoP ${POP}`);
    spec.given(events).when(popCommand('InstallRack', { rackId: 'constructor' }, T0)).then([rack(T0, 'constructor')]);
    spec
      .given(events)
      .when(popCommand('InstallDevice', { deviceId: 'toString', rackId: '__proto__', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 100 }, T0))
      .then([popEvents.device(T0, 'toString', '__proto__', 1, 1, 100)]);
  });
});
