import { createHash } from 'node:crypto';
import type { CapacityResource } from '../../inventory/domain/pop.enums';
import type {
  CapacityStatusChanged,
  IntegrationEvent,
  InventoryChanged,
  ResidencyViolationChanged,
  ResidencyViolationData,
  SourceEvent,
} from './integration-event.types';
import type { StatusLevel } from './outbound.enums';

/**
 * Builders of the integration events (docs/outbound-events.md). Ids are derived, never random: the same
 * ledger event always yields the same ids, so re-recording it (after a crash) could never mint new ones.
 */

/** A UUID (version 8, name-based) from the SHA-256 of the parts. */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Every accepted inventory event, as a change feed: `id` is the ledger event's id, `data` its data. */
export function inventoryChanged(source: SourceEvent): InventoryChanged {
  return { id: source.eventId, type: 'INVENTORY_CHANGED', occurredAt: source.recordedAt, popId: source.data.popId as string, data: source.data };
}

export function capacityStatusChanged(
  source: SourceEvent,
  change: { popId: string; resource: CapacityResource; from: StatusLevel; to: StatusLevel; utilizationPercent: number; effectiveAt: string },
): CapacityStatusChanged {
  const type = 'CAPACITY_STATUS_CHANGED';
  return {
    id: derivedId(source.eventId, type, change.popId, change.resource, change.effectiveAt),
    type,
    occurredAt: source.recordedAt,
    popId: change.popId,
    data: {
      popId: change.popId,
      resource: change.resource,
      from: change.from,
      to: change.to,
      utilizationPercent: change.utilizationPercent,
      effectiveAt: change.effectiveAt,
    },
  };
}

/** `placementKey` tells two stays of one workload at one PoP apart. */
export function residencyViolationChanged(source: SourceEvent, opened: boolean, placementKey: string, data: ResidencyViolationData): ResidencyViolationChanged {
  const type = opened ? 'RESIDENCY_VIOLATION_OPENED' : 'RESIDENCY_VIOLATION_CLOSED';
  return {
    id: derivedId(source.eventId, type, placementKey, data.dataCategory, data.policyId, data.effectiveAt),
    type,
    occurredAt: source.recordedAt,
    popId: data.popId,
    data: {
      workloadId: data.workloadId,
      tenant: data.tenant,
      dataCategory: data.dataCategory,
      popId: data.popId,
      popCode: data.popCode,
      countryCode: data.countryCode,
      role: data.role,
      policyId: data.policyId,
      reason: data.reason,
      effectiveAt: data.effectiveAt,
    },
  };
}

/** The exact bytes sent (and signed): JSON with the keys in contract order. */
export function serializeEvent(event: IntegrationEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt, popId: event.popId, data: event.data });
}
