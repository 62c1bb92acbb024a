import type { CapacityResource } from '../../inventory/domain/pop.enums';
import type { DataCategory, PlacementRole } from '../../residency/domain/workload.enums';
import type { OutboundEventType, StatusLevel } from './outbound.enums';

/**
 * The body of every webhook POST and NATS message: `{ id, type, occurredAt, popId, data }`, in that key
 * order. `id` is stable: the same event keeps it across retries, redeliveries and re-publishing.
 */
export interface IntegrationEvent<T extends OutboundEventType = OutboundEventType, D = unknown> {
  id: string;
  type: T;
  /** When the ledger recorded the event that caused it (its `recordedAt`). */
  occurredAt: string;
  popId: string;
  data: D;
}

/** A status change of one resource at the instant it takes effect. */
export interface CapacityStatusChangedData {
  popId: string;
  resource: CapacityResource;
  from: StatusLevel;
  to: StatusLevel;
  /** Utilization (rounded to 4 decimals) from `effectiveAt` on. */
  utilizationPercent: number;
  effectiveAt: string;
}

/** A placement starts (OPENED) or stops (CLOSED) breaking a residency policy for one data category. */
export interface ResidencyViolationData {
  workloadId: string;
  tenant: string;
  dataCategory: DataCategory;
  popId: string;
  popCode: string;
  countryCode: string;
  role: PlacementRole;
  policyId: string;
  /** The verdict from `effectiveAt` on (the report's reason), or why the violation ended. */
  reason: string;
  effectiveAt: string;
}

export type CapacityStatusChanged = IntegrationEvent<'CAPACITY_STATUS_CHANGED', CapacityStatusChangedData>;
export type ResidencyViolationChanged = IntegrationEvent<'RESIDENCY_VIOLATION_OPENED' | 'RESIDENCY_VIOLATION_CLOSED', ResidencyViolationData>;
export type InventoryChanged = IntegrationEvent<'INVENTORY_CHANGED', Record<string, unknown>>;

/** The ledger event an integration event comes from. */
export interface SourceEvent {
  eventId: string;
  recordedAt: string;
  data: Record<string, unknown>;
}
