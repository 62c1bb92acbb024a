/**
 * Data residency: workloads and their placements, residency policies, and the evaluated report.
 * The only way in from other features, the tools and the composition root.
 */
export { ResidencyModule, residencyProjections } from './residency.module';
export { residencyMigrations } from './read/residency.migrations';
export { POLICY_STREAM_PREFIX, WORKLOAD_STREAM_PREFIX, policyStream, workloadStream } from './domain/residency.streams';
export type { DataCategory, PlacementRole } from './domain/workload.enums';
export type { WorkloadCommand, WorkloadContext } from './domain/workload.commands';
export type { WorkloadState } from './domain/workload.state';
export { PlaceWorkloadInput, RegisterWorkloadInput, WithdrawWorkloadInput } from './write/workload.input';
export type { DefineResidencyPolicyData } from './domain/policy.commands';
export { policyDecider } from './domain/policy.decider';
export { workloadDecider } from './domain/workload.decider';
export { WORKLOAD_EVENT_TYPES } from './domain/workload.events';
export { POLICY_EVENT_TYPES } from './domain/policy.events';
export { violationTimeline } from './domain/residency-violations.rules';
export type { PlacementSubject, ViolationChange } from './domain/residency-violations.rules';
export type { PolicyView } from './domain/residency.types';
export { loadViolationSubjects } from './read/violation-subjects.reader';
export type { ViolationSelector } from './read/violation-subjects.reader';
