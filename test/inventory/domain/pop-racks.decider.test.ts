import { describe, it } from 'node:test';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { deciderSpec } from '../../support/decider-spec';
import { fedRack, iso, popCommand, popEvents, T0 } from '../../support/pop-builders';

const spec = deciderSpec(popDecider);
const { registered, leased, rack, rackRemoved, feed, feedRemoved, device, deviceRemoved } = popEvents;

const site = [registered(), leased(T0)];
const server = (deviceId: string, positionU: number, heightU: number, powerDrawWatts: number, rackId = 'r1') =>
  ({ deviceId, rackId, role: 'SERVER', positionU, heightU, powerDrawWatts }) as const;

describe('racks', () => {
  it('installs a 42 U rack by default', () => {
    spec.given(site).when(popCommand('InstallRack', { rackId: 'r1' }, T0)).then([rack(T0, 'r1')]);
    spec.given(site).when(popCommand('InstallRack', { rackId: 'r1', name: 'Row A', heightU: 48, maxPowerKw: 8 }, T0)).then([rack(T0, 'r1', { name: 'Row A', heightU: 48, maxPowerKw: 8 })]);
  });

  it('rejects a height that is not a positive integer', () => {
    spec.given(site).when(popCommand('InstallRack', { rackId: 'r1', heightU: 0 }, T0)).thenInvalidInput('heightU');
  });

  it('never reuses a rack id, even after its removal', () => {
    spec.given([...site, rack(T0, 'r1'), rackRemoved(iso('2027-02-01'), 'r1')]).when(popCommand('InstallRack', { rackId: 'r1' }, iso('2027-03-01'))).thenThrows('DUPLICATE_ID', 'rack r1 already exists in PoP p1');
  });

  it('removes only a rack present at that time', () => {
    spec.given(site).when(popCommand('RemoveRack', { rackId: 'r1' }, T0)).thenThrows('UNKNOWN_ID', 'rack r1 does not exist in PoP p1');
    spec
      .given([...site, rack(iso('2027-02-01'), 'r1')])
      .when(popCommand('RemoveRack', { rackId: 'r1' }, T0))
      .thenThrows('UNKNOWN_ID', 'rack r1 is present only from 2027-02-01T00:00:00.000Z, not at 2027-01-01T00:00:00.000Z');
    spec
      .given([...site, rack(T0, 'r1'), rackRemoved(iso('2027-02-01'), 'r1')])
      .when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-03-01')))
      .thenThrows('UNKNOWN_ID', 'rack r1 is already removed from 2027-02-01T00:00:00.000Z');
  });
});

describe('RACK_NOT_EMPTY', () => {
  it('keeps a rack with feeds or devices present at or after the removal', () => {
    spec.given(fedRack()).when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-02-01'))).thenThrows('RACK_NOT_EMPTY', 'rack r1 still holds feed fa at or after 2027-02-01T00:00:00.000Z');
    spec
      .given([...fedRack(), device(T0, 'd1', 'r1', 1, 1, 100), deviceRemoved(iso('2027-03-01'), 'd1'), feedRemoved(iso('2027-03-01'), 'fa')])
      .when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-02-01')))
      .thenThrows('RACK_NOT_EMPTY', 'rack r1 still holds device d1, feed fa at or after 2027-02-01T00:00:00.000Z');
  });

  it('counts planned devices too', () => {
    spec
      .given([...site, rack(T0, 'r1'), device(iso('2027-06-01'), 'd1', 'r1', 1, 1, 0)])
      .when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-02-01')))
      .thenThrows('RACK_NOT_EMPTY', 'rack r1 still holds device d1 at or after 2027-02-01T00:00:00.000Z');
  });

  it('removes a rack once everything in it is gone', () => {
    spec
      .given([...fedRack(), device(T0, 'd1', 'r1', 1, 1, 100), deviceRemoved(iso('2027-03-01'), 'd1'), feedRemoved(iso('2027-03-01'), 'fa')])
      .when(popCommand('RemoveRack', { rackId: 'r1' }, iso('2027-03-01')))
      .then([rackRemoved(iso('2027-03-01'), 'r1')]);
  });
});

describe('UNKNOWN_RACK', () => {
  it('needs the rack to exist', () => {
    spec.given(site).when(popCommand('AddPowerFeed', { feedId: 'f1', rackId: 'r9', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32 }, T0)).thenThrows('UNKNOWN_RACK', 'feed f1 references rack r9, which does not exist in PoP p1');
  });

  it('needs the rack present at the effective time', () => {
    spec
      .given([...site, rack(iso('2027-02-01'), 'r1')])
      .when(popCommand('InstallDevice', server('d1', 1, 1, 0), T0))
      .thenThrows('UNKNOWN_RACK', 'rack r1 is installed only from 2027-02-01T00:00:00.000Z; device d1 is effective at 2027-01-01T00:00:00.000Z');
    spec
      .given([...site, rack(T0, 'r1'), rackRemoved(iso('2027-02-01'), 'r1')])
      .when(popCommand('InstallDevice', server('d1', 1, 1, 0), iso('2027-03-01')))
      .thenThrows('UNKNOWN_RACK', 'rack r1 was removed at 2027-02-01T00:00:00.000Z; device d1 is effective at 2027-03-01T00:00:00.000Z');
  });

  it('needs the rack present for as long as the newcomer', () => {
    spec
      .given([...site, rack(T0, 'r1'), rackRemoved(iso('2027-06-01'), 'r1')])
      .when(popCommand('InstallDevice', server('d1', 1, 1, 0), iso('2027-02-01')))
      .thenThrows('UNKNOWN_RACK', 'rack r1 is removed at 2027-06-01T00:00:00.000Z while device d1 would stay; device d1 is effective at 2027-02-01T00:00:00.000Z');
  });
});

describe('power feeds', () => {
  it('applies derating 80 % and power factor 0.95 by default', () => {
    spec
      .given([...site, rack(T0, 'r1')])
      .when(popCommand('AddPowerFeed', { feedId: 'fa', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32 }, T0))
      .then([feed(T0, 'fa', 'r1')]);
  });

  it('rejects a reused feed id and removes only a present feed', () => {
    spec.given(fedRack()).when(popCommand('AddPowerFeed', { feedId: 'fa', rackId: 'r1', side: 'B', phase: 'SINGLE', voltage: 230, amperage: 32 }, T0)).thenThrows('DUPLICATE_ID');
    spec.given(fedRack()).when(popCommand('RemovePowerFeed', { feedId: 'fb' }, T0)).thenThrows('UNKNOWN_ID', 'feed fb does not exist in PoP p1');
    spec.given([...fedRack(), feedRemoved(iso('2027-02-01'), 'fa')]).when(popCommand('RemovePowerFeed', { feedId: 'fa' }, iso('2027-03-01'))).thenThrows('UNKNOWN_ID');
  });
});

describe('devices', () => {
  it('installs a device that fits', () => {
    spec.given(fedRack()).when(popCommand('InstallDevice', server('d1', 1, 2, 500), T0)).then([device(T0, 'd1', 'r1', 1, 2, 500)]);
  });

  it('keeps a device within the rack: OUT_OF_RACK', () => {
    spec.given(fedRack()).when(popCommand('InstallDevice', server('d1', 41, 3, 0), T0)).thenThrows('OUT_OF_RACK', 'device d1 would occupy U41-U43, beyond the 42 U of rack r1');
    spec.given(fedRack()).when(popCommand('InstallDevice', server('d1', 40, 3, 0), T0)).then([device(T0, 'd1', 'r1', 40, 3, 0)]);
    spec.given(fedRack()).when(popCommand('InstallDevice', server('d1', 0, 1, 0), T0)).thenInvalidInput('positionU');
  });

  it('rejects two devices sharing a U at the same time: SPACE_OVERLAP', () => {
    spec
      .given([...fedRack(), device(T0, 'd1', 'r1', 10, 2, 0)])
      .when(popCommand('InstallDevice', server('d2', 11, 4, 0), iso('2027-02-01')))
      .thenThrows('SPACE_OVERLAP', 'device d2 (U11-U14) would overlap device d1 (U10-U11) in rack r1 at 2027-02-01T00:00:00.000Z');
    spec.given([...fedRack(), device(T0, 'd1', 'r1', 10, 2, 0)]).when(popCommand('InstallDevice', server('d2', 12, 4, 0), T0)).then([device(T0, 'd2', 'r1', 12, 4, 0)]);
  });

  it('frees the U when the other device is removed, not before', () => {
    const given = [...fedRack(), device(T0, 'd1', 'r1', 10, 2, 0), deviceRemoved(iso('2027-03-01'), 'd1')];
    spec.given(given).when(popCommand('InstallDevice', server('d2', 10, 2, 0), iso('2027-03-01'))).then([device(iso('2027-03-01'), 'd2', 'r1', 10, 2, 0)]);
    spec.given(given).when(popCommand('InstallDevice', server('d2', 10, 2, 0), iso('2027-02-28'))).thenThrows('SPACE_OVERLAP');
  });

  it('does not count a device removed at the instant it was installed: it never held its U', () => {
    const given = [...fedRack(), device(iso('2027-03-01'), 'd1', 'r1', 10, 2, 0), deviceRemoved(iso('2027-03-01'), 'd1')];
    spec.given(given).when(popCommand('InstallDevice', server('d2', 10, 2, 0), iso('2027-02-01'))).then([device(iso('2027-02-01'), 'd2', 'r1', 10, 2, 0)]);
  });

  it('rejects a back-dated device that clashes with a later one', () => {
    spec
      .given([...fedRack(), device(iso('2027-06-01'), 'd1', 'r1', 10, 2, 0)])
      .when(popCommand('InstallDevice', server('d2', 11, 1, 0), iso('2027-02-01')))
      .thenThrows('SPACE_OVERLAP', 'device d2 (U11-U11) would overlap device d1 (U10-U11) in rack r1 at 2027-06-01T00:00:00.000Z');
  });

  it('ignores devices of other racks', () => {
    spec
      .given([...fedRack(), rack(T0, 'r2'), device(T0, 'd1', 'r2', 1, 2, 0)])
      .when(popCommand('InstallDevice', server('d2', 1, 2, 0), T0))
      .then([device(T0, 'd2', 'r1', 1, 2, 0)]);
  });

  it('removes only a device present at that time', () => {
    spec.given(fedRack()).when(popCommand('RemoveDevice', { deviceId: 'd1' }, T0)).thenThrows('UNKNOWN_ID', 'device d1 does not exist in PoP p1');
    spec
      .given([...fedRack(), device(iso('2027-02-01'), 'd1', 'r1', 1, 1, 0)])
      .when(popCommand('RemoveDevice', { deviceId: 'd1' }, T0))
      .thenThrows('UNKNOWN_ID', 'device d1 is present only from 2027-02-01T00:00:00.000Z, not at 2027-01-01T00:00:00.000Z');
    spec.given([...fedRack(), device(T0, 'd1', 'r1', 1, 1, 0)]).when(popCommand('RemoveDevice', { deviceId: 'd1' }, iso('2027-02-01'))).then([deviceRemoved(iso('2027-02-01'), 'd1')]);
  });
});

describe('POWER_EXCEEDED in a rack', () => {
  it('bounds the rack’s device draw by its usable power', () => {
    spec
      .given(fedRack())
      .when(popCommand('InstallDevice', server('d1', 1, 2, 6000), T0))
      .thenThrows('POWER_EXCEEDED', 'rack r1 would draw 6 kW of 5.5936 kW usable at 2027-01-01T00:00:00.000Z');
    spec.given(fedRack()).when(popCommand('InstallDevice', server('d1', 1, 2, 5593.6), T0)).then([device(T0, 'd1', 'r1', 1, 2, 5593.6)]);
  });

  it('gives an unfed rack no power', () => {
    spec.given([...site, rack(T0, 'r1')]).when(popCommand('InstallDevice', server('d1', 1, 1, 1), T0)).thenThrows('POWER_EXCEEDED', 'rack r1 would draw 0.001 kW of 0 kW usable at 2027-01-01T00:00:00.000Z');
    spec.given([...site, rack(T0, 'r1')]).when(popCommand('InstallDevice', server('d1', 1, 1, 0), T0)).then([device(T0, 'd1', 'r1', 1, 1, 0)]);
  });

  it('caps a rack at maxPowerKw', () => {
    spec
      .given([...site, rack(T0, 'r1', { maxPowerKw: 4 }), feed(T0, 'fa', 'r1')])
      .when(popCommand('InstallDevice', server('d1', 1, 2, 4500), T0))
      .thenThrows('POWER_EXCEEDED', 'rack r1 would draw 4.5 kW of 4 kW usable at 2027-01-01T00:00:00.000Z');
  });

  it('counts only the weaker side of an A/B rack, so a small B feed can lower usable power', () => {
    const aOnly = [...site, rack(T0, 'r1'), feed(T0, 'fa', 'r1', { phase: 'THREE', voltage: 400 }), device(T0, 'd1', 'r1', 1, 2, 8000)];
    spec
      .given(aOnly)
      .when(popCommand('AddPowerFeed', { feedId: 'fb', rackId: 'r1', side: 'B', phase: 'SINGLE', voltage: 230, amperage: 16 }, iso('2027-02-01')))
      .thenThrows('POWER_EXCEEDED', 'rack r1 would draw 8 kW of 2.7968 kW usable at 2027-02-01T00:00:00.000Z');
    spec
      .given(aOnly)
      .when(popCommand('AddPowerFeed', { feedId: 'fb', rackId: 'r1', side: 'B', phase: 'THREE', voltage: 400, amperage: 32 }, iso('2027-02-01')))
      .then([feed(iso('2027-02-01'), 'fb', 'r1', { side: 'B', phase: 'THREE', voltage: 400 })]);
  });

  it('rejects a back-dated feed removal that leaves a later load unpowered', () => {
    const planned = [...fedRack(), device(iso('2027-06-01'), 'd1', 'r1', 1, 2, 3000)];
    spec.given(planned).when(popCommand('RemovePowerFeed', { feedId: 'fa' }, iso('2027-03-01'))).thenThrows('POWER_EXCEEDED', 'rack r1 would draw 3 kW of 0 kW usable at 2027-06-01T00:00:00.000Z');
    spec
      .given([...planned, feed(iso('2027-05-01'), 'fc', 'r1')])
      .when(popCommand('RemovePowerFeed', { feedId: 'fa' }, iso('2027-03-01')))
      .then([feedRemoved(iso('2027-03-01'), 'fa')]);
  });

  it('accepts removing a feed after the load is gone', () => {
    spec
      .given([...fedRack(), device(T0, 'd1', 'r1', 1, 2, 3000), deviceRemoved(iso('2027-04-01'), 'd1')])
      .when(popCommand('RemovePowerFeed', { feedId: 'fa' }, iso('2027-04-01')))
      .then([feedRemoved(iso('2027-04-01'), 'fa')]);
  });
});
