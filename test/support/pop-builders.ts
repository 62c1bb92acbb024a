import { Money } from '../../src/kernel/money.types';
import { PopCommand } from '../../src/inventory/domain/pop.commands';
import { CapacityResource } from '../../src/inventory/domain/pop.enums';
import {
  CapacityReserved,
  CarrierConnected,
  DeviceInstalled,
  PopEvent,
  PopRegistered,
  PowerFeedAdded,
  RackInstalled,
  SiteLeased,
  TransitionEvent,
} from '../../src/inventory/domain/pop.events';

/** Builders for PoP `p1` events and commands with complete, explicit data. */

export const POP = 'p1';

/** `iso('2027-03-01')` → 2027-03-01T00:00:00.000Z; `iso('2027-03-01', '12:30')` with a time. */
export function iso(date: string, time = '00:00'): string {
  return `${date}T${time}:00.000Z`;
}

export const T0 = iso('2027-01-01');

export const eur = (amount: string): Money => ({ amount, currency: 'EUR' });

export const popEvents = {
  registered(at = T0, data: Partial<PopRegistered['data']> = {}): PopRegistered {
    return {
      type: 'PopRegistered',
      data: {
        popId: POP,
        code: 'FRA1',
        name: 'Frankfurt 1',
        kind: 'PHYSICAL',
        operatorModel: 'COLOCATION',
        countryCode: 'DE',
        city: null,
        region: null,
        latitude: null,
        longitude: null,
        provider: null,
        cloudRegion: null,
        monthlyCost: null,
        ...data,
      },
      effectiveAt: at,
    };
  },
  virtualRegistered(at = T0): PopRegistered {
    return popEvents.registered(at, { kind: 'VIRTUAL', operatorModel: 'CLOUD', cloudRegion: 'eu-central-1', monthlyCost: eur('5000') });
  },
  leased(at = T0, data: Partial<SiteLeased['data']> = {}): SiteLeased {
    const lease = {
      popId: POP,
      leaseId: 'l1',
      lessor: 'Equinix',
      startsOn: at.slice(0, 10),
      endsOn: null,
      monthlyCost: eur('1000'),
      oneOffCost: null,
      contractedPowerKw: null,
      maxRacks: null,
      ...data,
    };
    return { type: 'SiteLeased', data: lease, effectiveAt: at };
  },
  leaseTerminated(at: string, leaseId: string, endsOn: string): PopEvent {
    return { type: 'LeaseTerminated', data: { popId: POP, leaseId, endsOn }, effectiveAt: at };
  },
  transition(type: TransitionEvent['type'], at: string): TransitionEvent {
    return { type, data: { popId: POP }, effectiveAt: at };
  },
  rack(at: string, rackId: string, data: Partial<RackInstalled['data']> = {}): RackInstalled {
    return { type: 'RackInstalled', data: { popId: POP, rackId, name: null, heightU: 42, maxPowerKw: null, ...data }, effectiveAt: at };
  },
  rackRemoved(at: string, rackId: string): PopEvent {
    return { type: 'RackRemoved', data: { popId: POP, rackId }, effectiveAt: at };
  },
  /** Default: side A, 230 V × 32 A single phase = 5.5936 kW. */
  feed(at: string, feedId: string, rackId: string, data: Partial<PowerFeedAdded['data']> = {}): PowerFeedAdded {
    const feed = {
      popId: POP,
      feedId,
      rackId,
      side: 'A' as const,
      phase: 'SINGLE' as const,
      voltage: 230,
      amperage: 32,
      deratingPercent: 80,
      powerFactor: 0.95,
      monthlyCost: null,
      oneOffCost: null,
      ...data,
    };
    return { type: 'PowerFeedAdded', data: feed, effectiveAt: at };
  },
  feedRemoved(at: string, feedId: string): PopEvent {
    return { type: 'PowerFeedRemoved', data: { popId: POP, feedId }, effectiveAt: at };
  },
  device(at: string, deviceId: string, rackId: string, positionU: number, heightU: number, powerDrawWatts: number): DeviceInstalled {
    const device = { popId: POP, deviceId, rackId, name: null, role: 'SERVER' as const, positionU, heightU, powerDrawWatts, purchaseCost: null };
    return { type: 'DeviceInstalled', data: device, effectiveAt: at };
  },
  deviceRemoved(at: string, deviceId: string): PopEvent {
    return { type: 'DeviceRemoved', data: { popId: POP, deviceId }, effectiveAt: at };
  },
  circuit(at: string, circuitId: string, bandwidthMbps: number, data: Partial<CarrierConnected['data']> = {}): CarrierConnected {
    const circuit = { popId: POP, circuitId, carrier: 'Lumen', type: 'TRANSIT' as const, bandwidthMbps, monthlyCost: eur('800'), oneOffCost: null, termMonths: null, ...data };
    return { type: 'CarrierConnected', data: circuit, effectiveAt: at };
  },
  circuitDisconnected(at: string, circuitId: string): PopEvent {
    return { type: 'CarrierDisconnected', data: { popId: POP, circuitId }, effectiveAt: at };
  },
  reserved(at: string, reservationId: string, resource: CapacityResource, amount: number, from = at, until: string | null = null): CapacityReserved {
    return { type: 'CapacityReserved', data: { popId: POP, reservationId, resource, amount, from, until, note: null }, effectiveAt: at };
  },
  released(at: string, reservationId: string): PopEvent {
    return { type: 'ReservationReleased', data: { popId: POP, reservationId }, effectiveAt: at };
  },
};

type CommandOf<T extends PopCommand['type']> = Extract<PopCommand, { type: T }>;

/** A command on PoP p1 (popId filled in). */
export function popCommand<T extends PopCommand['type']>(type: T, data: Omit<CommandOf<T>['data'], 'popId'>, effectiveAt: string): CommandOf<T> {
  return { type, data: { popId: POP, ...data }, effectiveAt } as unknown as CommandOf<T>;
}

/** A leased physical PoP with rack r1 (42 U) fed by one 5.5936 kW A feed, all from T0. */
export function fedRack(): PopEvent[] {
  return [popEvents.registered(), popEvents.leased(), popEvents.rack(T0, 'r1'), popEvents.feed(T0, 'fa', 'r1')];
}
