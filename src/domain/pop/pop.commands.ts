import { DomainCommand } from '../shared/decider';
import { Money } from '../shared/money';
import { CapacityResource, CircuitType, DeviceRole, FeedPhase, FeedSide, OperatorModel, PopKind } from './pop.enums';

/**
 * Commands on a PoP stream. `data` is the mutation's input without commandId, expectedRevision
 * and effectiveAt (which is the command's own `effectiveAt`). Optional fields accept null.
 * Instants are ISO 8601 strings, dates YYYY-MM-DD.
 */

export interface RegisterPopInput {
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

export interface LeaseSiteInput {
  popId: string;
  leaseId: string;
  lessor: string;
  startsOn: string;
  /** Inclusive; null: open-ended. */
  endsOn?: string | null;
  monthlyCost: Money;
  oneOffCost?: Money | null;
  contractedPowerKw?: number | null;
  maxRacks?: number | null;
}

export interface TerminateLeaseInput {
  popId: string;
  leaseId: string;
  /** Inclusive last day; not before startsOn. */
  endsOn: string;
}

export interface PopRefInput {
  popId: string;
}

export interface InstallRackInput {
  popId: string;
  rackId: string;
  name?: string | null;
  /** Default 42. */
  heightU?: number;
  maxPowerKw?: number | null;
}

export interface RemoveRackInput {
  popId: string;
  rackId: string;
}

export interface AddPowerFeedInput {
  popId: string;
  feedId: string;
  rackId: string;
  side: FeedSide;
  phase: FeedPhase;
  voltage: number;
  amperage: number;
  /** Default 80. */
  deratingPercent?: number;
  /** Default 0.95. */
  powerFactor?: number;
  monthlyCost?: Money | null;
  oneOffCost?: Money | null;
}

export interface RemovePowerFeedInput {
  popId: string;
  feedId: string;
}

export interface InstallDeviceInput {
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

export interface RemoveDeviceInput {
  popId: string;
  deviceId: string;
}

export interface ConnectCarrierInput {
  popId: string;
  circuitId: string;
  carrier: string;
  type: CircuitType;
  bandwidthMbps: number;
  monthlyCost: Money;
  oneOffCost?: Money | null;
  termMonths?: number | null;
}

export interface DisconnectCarrierInput {
  popId: string;
  circuitId: string;
}

export interface ReserveCapacityInput {
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

export interface ReleaseReservationInput {
  popId: string;
  reservationId: string;
}

export type RegisterPop = DomainCommand<'RegisterPop', RegisterPopInput>;
export type LeaseSite = DomainCommand<'LeaseSite', LeaseSiteInput>;
export type TerminateLease = DomainCommand<'TerminateLease', TerminateLeaseInput>;
export type StartBuildOut = DomainCommand<'StartBuildOut', PopRefInput>;
export type ActivatePop = DomainCommand<'ActivatePop', PopRefInput>;
export type StartDecommission = DomainCommand<'StartDecommission', PopRefInput>;
export type ClosePop = DomainCommand<'ClosePop', PopRefInput>;
export type InstallRack = DomainCommand<'InstallRack', InstallRackInput>;
export type RemoveRack = DomainCommand<'RemoveRack', RemoveRackInput>;
export type AddPowerFeed = DomainCommand<'AddPowerFeed', AddPowerFeedInput>;
export type RemovePowerFeed = DomainCommand<'RemovePowerFeed', RemovePowerFeedInput>;
export type InstallDevice = DomainCommand<'InstallDevice', InstallDeviceInput>;
export type RemoveDevice = DomainCommand<'RemoveDevice', RemoveDeviceInput>;
export type ConnectCarrier = DomainCommand<'ConnectCarrier', ConnectCarrierInput>;
export type DisconnectCarrier = DomainCommand<'DisconnectCarrier', DisconnectCarrierInput>;
export type ReserveCapacity = DomainCommand<'ReserveCapacity', ReserveCapacityInput>;
export type ReleaseReservation = DomainCommand<'ReleaseReservation', ReleaseReservationInput>;

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
