import { DomainCommand } from '../../kernel/decider.types';
import { Money } from '../../kernel/money.types';
import { CapacityResource, CircuitType, DeviceRole, FeedPhase, FeedSide, OperatorModel, PopKind } from './pop.enums';

/**
 * Commands on a PoP stream. `data` is the mutation's input without commandId, expectedRevision
 * and effectiveAt (which is the command's own `effectiveAt`). Optional fields accept null.
 * Instants are ISO 8601 strings, dates YYYY-MM-DD.
 */

/** Defaults the decider applies to omitted fields; the GraphQL inputs show the same values. */
export const DEFAULT_RACK_HEIGHT_U = 42;
export const DEFAULT_DERATING_PERCENT = 80;
export const DEFAULT_POWER_FACTOR = 0.95;

export interface RegisterPopData {
  popId: string;
  code: string;
  name: string;
  kind: PopKind;
  operatorModel: OperatorModel;
  countryCode: string;
  city?: string | null;
  region?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  provider?: string | null;
  cloudRegion?: string | null;
  /** Cloud cost of a VIRTUAL PoP. */
  monthlyCost?: Money | null;
}

export interface LeaseSiteData {
  popId: string;
  leaseId: string;
  lessor?: string | null;
  startsOn: string;
  /** Inclusive; null: open-ended. */
  endsOn?: string | null;
  monthlyCost: Money;
  oneOffCost?: Money | null;
  contractedPowerKw?: number | null;
  maxRacks?: number | null;
}

export interface TerminateLeaseData {
  popId: string;
  leaseId: string;
  /** Inclusive last day; not before startsOn. */
  endsOn: string;
}

export interface PopRefData {
  popId: string;
}

export interface InstallRackData {
  popId: string;
  rackId: string;
  name?: string | null;
  /** Default DEFAULT_RACK_HEIGHT_U. */
  heightU?: number;
  maxPowerKw?: number | null;
}

export interface RemoveRackData {
  popId: string;
  rackId: string;
}

export interface AddPowerFeedData {
  popId: string;
  feedId: string;
  rackId: string;
  side: FeedSide;
  phase: FeedPhase;
  voltage: number;
  amperage: number;
  /** Default DEFAULT_DERATING_PERCENT. */
  deratingPercent?: number;
  /** Default DEFAULT_POWER_FACTOR. */
  powerFactor?: number;
  monthlyCost?: Money | null;
  oneOffCost?: Money | null;
}

export interface RemovePowerFeedData {
  popId: string;
  feedId: string;
}

export interface InstallDeviceData {
  popId: string;
  deviceId: string;
  rackId: string;
  name?: string | null;
  role: DeviceRole;
  /** Lowest U the device occupies (1-based). */
  positionU: number;
  heightU: number;
  powerDrawWatts: number;
  purchaseCost?: Money | null;
}

export interface RemoveDeviceData {
  popId: string;
  deviceId: string;
}

export interface ConnectCarrierData {
  popId: string;
  circuitId: string;
  carrier: string;
  type: CircuitType;
  bandwidthMbps: number;
  monthlyCost: Money;
  oneOffCost?: Money | null;
  termMonths?: number | null;
}

export interface DisconnectCarrierData {
  popId: string;
  circuitId: string;
}

export interface ReserveCapacityData {
  popId: string;
  reservationId: string;
  resource: CapacityResource;
  amount: number;
  /** Default: the command's effectiveAt. */
  from?: string | null;
  /** Exclusive; null: open-ended. */
  until?: string | null;
  note?: string | null;
}

export interface ReleaseReservationData {
  popId: string;
  reservationId: string;
}

export type RegisterPop = DomainCommand<'RegisterPop', RegisterPopData>;
export type LeaseSite = DomainCommand<'LeaseSite', LeaseSiteData>;
export type TerminateLease = DomainCommand<'TerminateLease', TerminateLeaseData>;
export type StartBuildOut = DomainCommand<'StartBuildOut', PopRefData>;
export type ActivatePop = DomainCommand<'ActivatePop', PopRefData>;
export type StartDecommission = DomainCommand<'StartDecommission', PopRefData>;
export type ClosePop = DomainCommand<'ClosePop', PopRefData>;
export type InstallRack = DomainCommand<'InstallRack', InstallRackData>;
export type RemoveRack = DomainCommand<'RemoveRack', RemoveRackData>;
export type AddPowerFeed = DomainCommand<'AddPowerFeed', AddPowerFeedData>;
export type RemovePowerFeed = DomainCommand<'RemovePowerFeed', RemovePowerFeedData>;
export type InstallDevice = DomainCommand<'InstallDevice', InstallDeviceData>;
export type RemoveDevice = DomainCommand<'RemoveDevice', RemoveDeviceData>;
export type ConnectCarrier = DomainCommand<'ConnectCarrier', ConnectCarrierData>;
export type DisconnectCarrier = DomainCommand<'DisconnectCarrier', DisconnectCarrierData>;
export type ReserveCapacity = DomainCommand<'ReserveCapacity', ReserveCapacityData>;
export type ReleaseReservation = DomainCommand<'ReleaseReservation', ReleaseReservationData>;

export type LifecycleCommand = StartBuildOut | ActivatePop | StartDecommission | ClosePop;

export type PopCommand =
  | RegisterPop
  | LeaseSite
  | TerminateLease
  | LifecycleCommand
  | InstallRack
  | RemoveRack
  | AddPowerFeed
  | RemovePowerFeed
  | InstallDevice
  | RemoveDevice
  | ConnectCarrier
  | DisconnectCarrier
  | ReserveCapacity
  | ReleaseReservation;
