import { DomainEvent } from '../shared/decider';
import { PlaceWorkloadInput, RegisterWorkloadInput, WithdrawWorkloadInput } from './workload.commands';

/** `dataCategories` is de-duplicated, in input order. */
export type WorkloadRegistered = DomainEvent<'WorkloadRegistered', RegisterWorkloadInput>;
export type WorkloadPlaced = DomainEvent<'WorkloadPlaced', PlaceWorkloadInput>;
export type WorkloadWithdrawn = DomainEvent<'WorkloadWithdrawn', WithdrawWorkloadInput>;

export type WorkloadEvent = WorkloadRegistered | WorkloadPlaced | WorkloadWithdrawn;
