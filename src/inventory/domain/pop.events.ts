import { DomainEvent, Filled } from '../../kernel/decider.types';
import {
  AddPowerFeedData,
  ConnectCarrierData,
  DisconnectCarrierData,
  InstallDeviceData,
  InstallRackData,
  LeaseSiteData,
  PopRefData,
  RegisterPopData,
  ReleaseReservationData,
  RemoveDeviceData,
  RemovePowerFeedData,
  RemoveRackData,
  ReserveCapacityData,
  TerminateLeaseData,
} from './pop.commands';

/**
 * Events of a PoP stream (`pop-<popId>`). Data carries every input field with defaults applied
 * (rack heightU 42, feed deratingPercent 80 and powerFactor 0.95, reservation `from` = the
 * command's effectiveAt) and absent optional fields as null; instants are normalised to
 * ISO 8601 with milliseconds and Z.
 */

export type CapacityReservedData = Omit<Filled<ReserveCapacityData>, 'from'> & { from: string };

export type PopRegistered = DomainEvent<'PopRegistered', Filled<RegisterPopData>>;
export type SiteLeased = DomainEvent<'SiteLeased', Filled<LeaseSiteData>>;
export type LeaseTerminated = DomainEvent<'LeaseTerminated', TerminateLeaseData>;
export type BuildOutStarted = DomainEvent<'BuildOutStarted', PopRefData>;
export type PopActivated = DomainEvent<'PopActivated', PopRefData>;
export type DecommissionStarted = DomainEvent<'DecommissionStarted', PopRefData>;
export type PopClosed = DomainEvent<'PopClosed', PopRefData>;
export type RackInstalled = DomainEvent<'RackInstalled', Filled<InstallRackData>>;
export type RackRemoved = DomainEvent<'RackRemoved', RemoveRackData>;
export type PowerFeedAdded = DomainEvent<'PowerFeedAdded', Filled<AddPowerFeedData>>;
export type PowerFeedRemoved = DomainEvent<'PowerFeedRemoved', RemovePowerFeedData>;
export type DeviceInstalled = DomainEvent<'DeviceInstalled', Filled<InstallDeviceData>>;
export type DeviceRemoved = DomainEvent<'DeviceRemoved', RemoveDeviceData>;
export type CarrierConnected = DomainEvent<'CarrierConnected', Filled<ConnectCarrierData>>;
export type CarrierDisconnected = DomainEvent<'CarrierDisconnected', DisconnectCarrierData>;
export type CapacityReserved = DomainEvent<'CapacityReserved', CapacityReservedData>;
export type ReservationReleased = DomainEvent<'ReservationReleased', ReleaseReservationData>;

/** Lifecycle transitions that carry no data but the PoP. */
export type TransitionEvent = BuildOutStarted | PopActivated | DecommissionStarted | PopClosed;

export type PopEvent =
  | PopRegistered
  | SiteLeased
  | LeaseTerminated
  | TransitionEvent
  | RackInstalled
  | RackRemoved
  | PowerFeedAdded
  | PowerFeedRemoved
  | DeviceInstalled
  | DeviceRemoved
  | CarrierConnected
  | CarrierDisconnected
  | CapacityReserved
  | ReservationReleased;

export const POP_EVENT_TYPES = [
  'PopRegistered',
  'SiteLeased',
  'LeaseTerminated',
  'BuildOutStarted',
  'PopActivated',
  'DecommissionStarted',
  'PopClosed',
  'RackInstalled',
  'RackRemoved',
  'PowerFeedAdded',
  'PowerFeedRemoved',
  'DeviceInstalled',
  'DeviceRemoved',
  'CarrierConnected',
  'CarrierDisconnected',
  'CapacityReserved',
  'ReservationReleased',
] as const satisfies readonly PopEvent['type'][];
