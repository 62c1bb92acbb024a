import { Decider } from '../../kernel/decider.types';
import { WorkloadCommand, WorkloadContext } from './workload.commands';
import { decideWorkload } from './workload.decide';
import { WorkloadEvent } from './workload.events';
import { evolveWorkload, initialWorkloadState, WorkloadState } from './workload.state';

/** The workload aggregate (stream `workload-<workloadId>`); decisions read PoP status through the context. */
export const workloadDecider: Decider<WorkloadCommand, WorkloadState, WorkloadEvent, WorkloadContext> = {
  decide: decideWorkload,
  evolve: evolveWorkload,
  initialState: initialWorkloadState,
};
