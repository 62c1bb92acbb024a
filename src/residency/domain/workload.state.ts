import { IdIndex, lookup, store } from '../../kernel/id-index.util';
import { PlacementRole } from './workload.enums';
import { WorkloadEvent } from './workload.events';

/** A stay of the workload at one PoP, present on [from, to). */
export interface PlacementRecord {
  role: PlacementRole;
  from: number;
  to: number | null;
}

export interface Workload {
  workloadId: string;
  /** Stays per PoP, in order and disjoint; only the last may be open. */
  placements: IdIndex<PlacementRecord[]>;
}

export type WorkloadState = Workload | null;

export function initialWorkloadState(): WorkloadState {
  return null;
}

/** Updates `state` in place (see Decider) and returns it. */
export function evolveWorkload(state: WorkloadState, event: WorkloadEvent): WorkloadState {
  const at = Date.parse(event.effectiveAt);
  switch (event.type) {
    case 'WorkloadRegistered':
      return { workloadId: event.data.workloadId, placements: {} };
    case 'WorkloadPlaced': {
      const workload = state as Workload;
      const stays = lookup(workload.placements, event.data.popId) ?? [];
      stays.push({ role: event.data.role, from: at, to: null });
      store(workload.placements, event.data.popId, stays);
      return workload;
    }
    case 'WorkloadWithdrawn': {
      const stays = lookup((state as Workload).placements, event.data.popId) as PlacementRecord[];
      stays[stays.length - 1].to = at;
      return state;
    }
  }
}
