import { describe, it } from 'node:test';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { deciderSpec } from '../../support/decider-spec';
import { eur, fedRack, iso, popCommand, popEvents, T0 } from '../../support/pop-builders';

const spec = deciderSpec(popDecider);
const { registered, leased, rack, device, circuit, circuitDisconnected, reserved, released } = popEvents;

const site = [registered(), leased(T0)];
const twoCircuits = [...site, circuit(T0, 'c1', 500), circuit(T0, 'c2', 500)];

describe('carriers', () => {
  it('connects a circuit with absent optional fields as null', () => {
    spec
      .given(site)
      .when(popCommand('ConnectCarrier', { circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 500, monthlyCost: eur('800') }, T0))
      .then([circuit(T0, 'c1', 500)]);
    spec.given([...site, circuit(T0, 'c1', 500)]).when(popCommand('ConnectCarrier', { circuitId: 'c1', carrier: 'X', type: 'TRANSIT', bandwidthMbps: 1, monthlyCost: eur('1') }, T0)).thenThrows('DUPLICATE_ID');
  });

  it('disconnects only a present circuit', () => {
    spec.given(site).when(popCommand('DisconnectCarrier', { circuitId: 'c1' }, T0)).thenThrows('UNKNOWN_ID', 'circuit c1 does not exist in PoP p1');
    spec.given(twoCircuits).when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-02-01'))).then([circuitDisconnected(iso('2027-02-01'), 'c2')]);
  });

  it('keeps reserved bandwidth within circuit capacity: BANDWIDTH_EXCEEDED', () => {
    spec
      .given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 800)])
      .when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-02-01')))
      .thenThrows('BANDWIDTH_EXCEEDED', 'PoP p1 would reserve 800 Mbps of 500 Mbps circuit capacity at 2027-02-01T00:00:00.000Z');
    spec
      .given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 800, T0, iso('2027-02-01'))])
      .when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-02-01')))
      .then([circuitDisconnected(iso('2027-02-01'), 'c2')]);
  });

  it('rejects a back-dated disconnection under a planned reservation', () => {
    spec
      .given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 800, iso('2027-06-01'))])
      .when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-03-01')))
      .thenThrows('BANDWIDTH_EXCEEDED', /at 2027-06-01T00:00:00.000Z$/);
  });
});

describe('reserveCapacity', () => {
  it('starts at the effective time by default, open-ended', () => {
    spec.given(twoCircuits).when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 300 }, iso('2027-02-01'))).then([reserved(iso('2027-02-01'), 's1', 'BANDWIDTH_MBPS', 300)]);
  });

  it('rejects an empty interval, a non-positive amount and a reused id', () => {
    spec.given(twoCircuits).when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 1, from: iso('2027-03-01'), until: iso('2027-03-01') }, T0)).thenInvalidInput('until');
    spec.given(twoCircuits).when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 0 }, T0)).thenInvalidInput('amount');
    spec.given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 1)]).when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 1 }, T0)).thenThrows('DUPLICATE_ID');
  });

  it('must fit the headroom: RESERVATION_EXCEEDED', () => {
    spec
      .given(twoCircuits)
      .when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 1200 }, T0))
      .thenThrows(
        'RESERVATION_EXCEEDED',
        'reservation s1 of 1200 Mbps over [2027-01-01T00:00:00.000Z, open end) does not fit: PoP p1 would reserve 1200 Mbps of 1000 Mbps circuit capacity at 2027-01-01T00:00:00.000Z',
      );
  });

  it('must fit over its whole interval, and only there', () => {
    const shrinking = [...twoCircuits, circuitDisconnected(iso('2027-06-01'), 'c2')];
    const reserve = (until: string | null) => popCommand('ReserveCapacity', { reservationId: 's1', resource: 'BANDWIDTH_MBPS', amount: 800, from: iso('2027-03-01'), until }, T0);
    spec.given(shrinking).when(reserve(iso('2027-06-01'))).then([reserved(T0, 's1', 'BANDWIDTH_MBPS', 800, iso('2027-03-01'), iso('2027-06-01'))]);
    spec.given(shrinking).when(reserve(iso('2027-06-02'))).thenThrows('RESERVATION_EXCEEDED', /at 2027-06-01T00:00:00.000Z$/);
    spec.given(shrinking).when(reserve(null)).thenThrows('RESERVATION_EXCEEDED');
  });

  it('counts planned devices within its interval', () => {
    const planned = [...site, rack(T0, 'r1'), device(iso('2027-06-01'), 'd1', 'r1', 1, 40, 0)];
    const reserve = (until: string | null) => popCommand('ReserveCapacity', { reservationId: 's1', resource: 'SPACE_U', amount: 5, from: iso('2027-03-01'), until }, T0);
    spec.given(planned).when(reserve(iso('2027-06-01'))).then([reserved(T0, 's1', 'SPACE_U', 5, iso('2027-03-01'), iso('2027-06-01'))]);
    spec
      .given(planned)
      .when(reserve(null))
      .thenThrows(
        'RESERVATION_EXCEEDED',
        'reservation s1 of 5 U over [2027-03-01T00:00:00.000Z, open end) does not fit: PoP p1 would use 40 U and reserve 5 U of 42 U at 2027-06-01T00:00:00.000Z',
      );
  });

  it('checks power reservations against usable power', () => {
    spec
      .given(fedRack())
      .when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'POWER_KW', amount: 6 }, T0))
      .thenThrows('RESERVATION_EXCEEDED', /PoP p1 would allocate 0 kW and reserve 6 kW of 5.5936 kW usable at/);
    spec.given(fedRack()).when(popCommand('ReserveCapacity', { reservationId: 's1', resource: 'POWER_KW', amount: 5 }, T0)).then([reserved(T0, 's1', 'POWER_KW', 5)]);
  });
});

describe('reservations hold capacity against everything else', () => {
  const held = [...site, rack(T0, 'r1'), reserved(T0, 's1', 'SPACE_U', 41)];
  const install = (at: string) => popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 2, powerDrawWatts: 0 }, at);

  it('rejects a device that would eat into reserved space: SPACE_EXCEEDED', () => {
    spec.given(held).when(install(iso('2027-02-01'))).thenThrows('SPACE_EXCEEDED', 'PoP p1 would use 2 U and reserve 41 U of 42 U at 2027-02-01T00:00:00.000Z');
  });

  it('accepts it once the reservation is released', () => {
    spec.given([...held, released(iso('2027-02-01'), 's1')]).when(install(iso('2027-02-01'))).then([device(iso('2027-02-01'), 'd1', 'r1', 1, 2, 0)]);
  });

  it('rejects a device that would eat into reserved power: POWER_EXCEEDED', () => {
    spec
      .given([...fedRack(), reserved(T0, 's1', 'POWER_KW', 5)])
      .when(popCommand('InstallDevice', { deviceId: 'd1', rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 1000 }, T0))
      .thenThrows('POWER_EXCEEDED', 'PoP p1 would allocate 1 kW and reserve 5 kW of 5.5936 kW usable at 2027-01-01T00:00:00.000Z');
  });

  it('rejects removing a rack whose space is reserved', () => {
    spec
      .given([...site, rack(T0, 'r1'), rack(T0, 'r2'), reserved(T0, 's1', 'SPACE_U', 50)])
      .when(popCommand('RemoveRack', { rackId: 'r2' }, iso('2027-02-01')))
      .thenThrows('SPACE_EXCEEDED', 'PoP p1 would use 0 U and reserve 50 U of 42 U at 2027-02-01T00:00:00.000Z');
  });
});

describe('releaseReservation', () => {
  const held = [...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 100, iso('2027-03-01'), iso('2027-06-01'))];

  it('releases a recorded reservation, cancelling it before it starts', () => {
    spec.given(held).when(popCommand('ReleaseReservation', { reservationId: 's1' }, iso('2027-04-01'))).then([released(iso('2027-04-01'), 's1')]);
    spec.given(held).when(popCommand('ReleaseReservation', { reservationId: 's1' }, iso('2027-02-01'))).then([released(iso('2027-02-01'), 's1')]);
  });

  it('rejects an unknown, released, expired or not yet recorded reservation', () => {
    spec.given(held).when(popCommand('ReleaseReservation', { reservationId: 's9' }, T0)).thenThrows('UNKNOWN_ID', 'reservation s9 does not exist in PoP p1');
    spec
      .given([...held, released(iso('2027-04-01'), 's1')])
      .when(popCommand('ReleaseReservation', { reservationId: 's1' }, iso('2027-05-01')))
      .thenThrows('UNKNOWN_ID', 'reservation s1 is already released at 2027-04-01T00:00:00.000Z');
    spec.given(held).when(popCommand('ReleaseReservation', { reservationId: 's1' }, iso('2027-06-01'))).thenThrows('UNKNOWN_ID', 'reservation s1 is no longer active at 2027-06-01T00:00:00.000Z: it expired at 2027-06-01T00:00:00.000Z');
    spec
      .given([...twoCircuits, reserved(iso('2027-02-01'), 's1', 'BANDWIDTH_MBPS', 100, T0)])
      .when(popCommand('ReleaseReservation', { reservationId: 's1' }, T0))
      .thenThrows('UNKNOWN_ID', 'reservation s1 is recorded only at 2027-02-01T00:00:00.000Z, not at 2027-01-01T00:00:00.000Z');
  });

  it('frees the capacity from the release on', () => {
    spec
      .given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 800), released(iso('2027-02-01'), 's1')])
      .when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-02-01')))
      .then([circuitDisconnected(iso('2027-02-01'), 'c2')]);
  });

  it('a release before the reservation starts frees all of it', () => {
    spec
      .given([...twoCircuits, reserved(T0, 's1', 'BANDWIDTH_MBPS', 800, iso('2027-06-01')), released(iso('2027-02-01'), 's1')])
      .when(popCommand('DisconnectCarrier', { circuitId: 'c2' }, iso('2027-03-01')))
      .then([circuitDisconnected(iso('2027-03-01'), 'c2')]);
  });
});
