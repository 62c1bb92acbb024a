/** As const arrays so that the GraphQL layer can reuse them. */

export const DATA_CATEGORIES = ['PERSONAL', 'SPECIAL_CATEGORY', 'PAYMENT', 'HEALTH', 'TELEMETRY', 'OPERATIONAL', 'PUBLIC'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

export const PLACEMENT_ROLES = ['PRIMARY', 'REPLICA', 'BACKUP', 'PROCESSING', 'CACHE'] as const;
export type PlacementRole = (typeof PLACEMENT_ROLES)[number];
