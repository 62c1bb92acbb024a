import { InvalidInputError, NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { instantMs, isoOf } from '../../kernel/time.util';
import { PlaceWorkload, RegisterWorkload, WithdrawWorkload, WorkloadCommand, WorkloadContext } from './workload.commands';
import { WorkloadEvent, WorkloadPlaced, WorkloadRegistered, WorkloadWithdrawn } from './workload.events';
import { Workload, WorkloadState } from './workload.state';

/** Decides a workload command; placements read the PoP's status through `context`. Never mutates `state`. */
export function decideWorkload(command: WorkloadCommand, state: WorkloadState, context: WorkloadContext): WorkloadEvent[] {
  switch (command.type) {
    case 'RegisterWorkload':
      return [registerWorkload(command, state)];
    case 'PlaceWorkload':
      return [placeWorkload(command, requireWorkload(state, command.data.workloadId), context)];
    case 'WithdrawWorkload':
      return [withdrawWorkload(command, requireWorkload(state, command.data.workloadId))];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled workload command ${(unhandled as WorkloadCommand).type}`);
    }
  }
}

function registerWorkload(command: RegisterWorkload, state: WorkloadState): WorkloadRegistered {
  const { workloadId, tenant, name, dataCategories } = command.data;
  if (state !== null) throw new RuleViolationError('DUPLICATE_ID', `workload ${workloadId} is already registered`);
  if (dataCategories.length === 0) throw new InvalidInputError('dataCategories', `workload ${workloadId} needs at least one data category`);
  const data = { workloadId, tenant, name, dataCategories: [...new Set(dataCategories)] };
  return { type: 'WorkloadRegistered', data, effectiveAt: isoOf(instantMs(command.effectiveAt, 'effectiveAt')) };
}

/** Only at a PoP that is LIVE at the placement's effective time, and not where it already is (or will be). */
function placeWorkload(command: PlaceWorkload, workload: Workload, context: WorkloadContext): WorkloadPlaced {
  const { workloadId, popId, role } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const effectiveAt = isoOf(at);
  const status = context.popStatusAt(popId, effectiveAt);
  if (status === null) throw new NotFoundError(`PoP ${popId} does not exist`);
  if (status !== 'LIVE') {
    throw new RuleViolationError('INVALID_TRANSITION', `PoP ${popId} is ${status} at ${effectiveAt}; workloads are placed only at LIVE PoPs`);
  }
  const clash = (lookup(workload.placements, popId) ?? []).find((stay) => stay.to === null || stay.to > at);
  if (clash) {
    const since = isoOf(Math.max(clash.from, at));
    throw new RuleViolationError('DUPLICATE_ID', `workload ${workloadId} is already placed at PoP ${popId} (as ${clash.role}) at ${since}`);
  }
  return { type: 'WorkloadPlaced', data: { workloadId, popId, role }, effectiveAt };
}

function withdrawWorkload(command: WithdrawWorkload, workload: Workload): WorkloadWithdrawn {
  const { workloadId, popId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const stays = lookup(workload.placements, popId) ?? [];
  const last = stays[stays.length - 1];
  if (!last || last.to !== null || at < last.from) {
    throw new RuleViolationError('UNKNOWN_ID', `workload ${workloadId} is not placed at PoP ${popId} at ${isoOf(at)}`);
  }
  return { type: 'WorkloadWithdrawn', data: { workloadId, popId }, effectiveAt: isoOf(at) };
}

function requireWorkload(state: WorkloadState, workloadId: string): Workload {
  if (state === null) throw new NotFoundError(`workload ${workloadId} does not exist`);
  return state;
}
