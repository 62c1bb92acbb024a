/** The integration events of docs/outbound-events.md, as const arrays so that the GraphQL layer can reuse them. */
export const OUTBOUND_EVENT_TYPES = ['CAPACITY_STATUS_CHANGED', 'RESIDENCY_VIOLATION_OPENED', 'RESIDENCY_VIOLATION_CLOSED', 'INVENTORY_CHANGED'] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** A resource's capacity status (docs/domain.md, "Capacity formulas", Status). */
export const STATUS_LEVELS = ['OK', 'WARNING', 'CRITICAL'] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number];
