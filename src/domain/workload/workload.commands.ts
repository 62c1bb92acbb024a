import { DomainCommand } from '../shared/decider';
import { PopStatus } from '../pop/pop.enums';
import { DataCategory, PlacementRole } from './workload.enums';

/** Commands on a workload stream (`workload-<workloadId>`). */

export interface RegisterWorkloadInput {
  workloadId: string;
  tenant: string;
  name: string;
  dataCategories: DataCategory[];
}

export interface PlaceWorkloadInput {
  workloadId: string;
  popId: string;
  role: PlacementRole;
}

export interface WithdrawWorkloadInput {
  workloadId: string;
  popId: string;
}

export type RegisterWorkload = DomainCommand<'RegisterWorkload', RegisterWorkloadInput>;
export type PlaceWorkload = DomainCommand<'PlaceWorkload', PlaceWorkloadInput>;
export type WithdrawWorkload = DomainCommand<'WithdrawWorkload', WithdrawWorkloadInput>;

export type WorkloadCommand = RegisterWorkload | PlaceWorkload | WithdrawWorkload;

/** What a placement needs to know about the PoP stream: its status at an instant, null when it does not exist. */
export interface WorkloadContext {
  popStatusAt(popId: string, at: string): PopStatus | null;
}
