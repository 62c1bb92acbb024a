import { DomainEvent, Filled } from '../shared/decider';
import {
  AddPowerFeedInput,
  ConnectCarrierInput,
  DisconnectCarrierInput,
  InstallDeviceInput,
  InstallRackInput,
  LeaseSiteInput,
  PopRefInput,
  RegisterPopInput,
  ReleaseReservationInput,
  RemoveDeviceInput,
  RemovePowerFeedInput,
  RemoveRackInput,
  ReserveCapacityInput,
  TerminateLeaseInput,
} from './pop.commands';

/**
 * Events of a PoP stream (`pop-<popId>`). Data carries every input field with defaults applied
 * (rack heightU 42, feed deratingPercent 80 and powerFactor 0.95, reservation `from` = the
 * command's effectiveAt) and absent optional fields as null; instants are normalised to
 * ISO 8601 with milliseconds and Z.
 */

export type CapacityReservedData = Omit<Filled<ReserveCapacityInput>, 'from'> & { from: string };

export type PopRegistered = DomainEvent<'PopRegistered', Filled<RegisterPopInput>>;
export type SiteLeased = DomainEvent<'SiteLeased', Filled<LeaseSiteInput>>;
export type LeaseTerminated = DomainEvent<'LeaseTerminated', TerminateLeaseInput>;
export type BuildOutStarted = DomainEvent<'BuildOutStarted', PopRefInput>;
export type PopActivated = DomainEvent<'PopActivated', PopRefInput>;
export type DecommissionStarted = DomainEvent<'DecommissionStarted', PopRefInput>;
export type PopClosed = DomainEvent<'PopClosed', PopRefInput>;
export type RackInstalled = DomainEvent<'RackInstalled', Filled<InstallRackInput>>;
export type RackRemoved = DomainEvent<'RackRemoved', RemoveRackInput>;
export type PowerFeedAdded = DomainEvent<'PowerFeedAdded', Filled<AddPowerFeedInput>>;
export type PowerFeedRemoved = DomainEvent<'PowerFeedRemoved', RemovePowerFeedInput>;
export type DeviceInstalled = DomainEvent<'DeviceInstalled', Filled<InstallDeviceInput>>;
export type DeviceRemoved = DomainEvent<'DeviceRemoved', RemoveDeviceInput>;
export type CarrierConnected = DomainEvent<'CarrierConnected', Filled<ConnectCarrierInput>>;
export type CarrierDisconnected = DomainEvent<'CarrierDisconnected', DisconnectCarrierInput>;
export type CapacityReserved = DomainEvent<'CapacityReserved', CapacityReservedData>;
export type ReservationReleased = DomainEvent<'ReservationReleased', ReleaseReservationInput>;

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
