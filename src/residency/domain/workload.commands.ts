import { DomainCommand } from '../../kernel/decider.types';
import { PopStatus } from '../../inventory/domain/pop.enums';
import { DataCategory, PlacementRole } from './workload.enums';

/** Commands on a workload stream (`workload-<workloadId>`). */

export interface RegisterWorkloadData {
  workloadId: string;
  tenant: string;
  name: string;
  dataCategories: DataCategory[];
}

export interface PlaceWorkloadData {
  workloadId: string;
  popId: string;
  role: PlacementRole;
}

export interface WithdrawWorkloadData {
  workloadId: string;
  popId: string;
}

export type RegisterWorkload = DomainCommand<'RegisterWorkload', RegisterWorkloadData>;
export type PlaceWorkload = DomainCommand<'PlaceWorkload', PlaceWorkloadData>;
export type WithdrawWorkload = DomainCommand<'WithdrawWorkload', WithdrawWorkloadData>;

export type WorkloadCommand = RegisterWorkload | PlaceWorkload | WithdrawWorkload;

/** What a placement needs to know about the PoP stream: its status at an instant, null when it does not exist. */
export interface WorkloadContext {
  popStatusAt(popId: string, at: string): PopStatus | null;
}
