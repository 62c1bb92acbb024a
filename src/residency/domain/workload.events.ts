import { DomainEvent } from '../../kernel/decider.types';
import { PlaceWorkloadData, RegisterWorkloadData, WithdrawWorkloadData } from './workload.commands';

/** `dataCategories` is de-duplicated, in input order. */
export type WorkloadRegistered = DomainEvent<'WorkloadRegistered', RegisterWorkloadData>;
export type WorkloadPlaced = DomainEvent<'WorkloadPlaced', PlaceWorkloadData>;
export type WorkloadWithdrawn = DomainEvent<'WorkloadWithdrawn', WithdrawWorkloadData>;

export type WorkloadEvent = WorkloadRegistered | WorkloadPlaced | WorkloadWithdrawn;

export const WORKLOAD_EVENT_TYPES = ['WorkloadRegistered', 'WorkloadPlaced', 'WorkloadWithdrawn'] as const satisfies readonly WorkloadEvent['type'][];
