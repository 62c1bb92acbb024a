/** Enumerations of the PoP inventory, as const arrays so that the GraphQL layer can reuse them. */

export const POP_KINDS = ['PHYSICAL', 'VIRTUAL'] as const;
export type PopKind = (typeof POP_KINDS)[number];

export const OPERATOR_MODELS = ['OWNED', 'COLOCATION', 'CARRIER_HOTEL', 'CLOUD'] as const;
export type OperatorModel = (typeof OPERATOR_MODELS)[number];

/** In lifecycle order. */
export const POP_STATUSES = ['PLANNED', 'LEASED', 'BUILDING', 'LIVE', 'DECOMMISSIONING', 'CLOSED'] as const;
export type PopStatus = (typeof POP_STATUSES)[number];

export const FEED_SIDES = ['A', 'B'] as const;
export type FeedSide = (typeof FEED_SIDES)[number];

export const FEED_PHASES = ['SINGLE', 'THREE'] as const;
export type FeedPhase = (typeof FEED_PHASES)[number];

export const DEVICE_ROLES = ['ROUTER', 'SWITCH', 'SERVER', 'FIREWALL', 'STORAGE', 'OTHER'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export const CIRCUIT_TYPES = ['TRANSIT', 'IX_PEERING', 'DARK_FIBER', 'ETHERNET', 'WAVELENGTH', 'CLOUD_ONRAMP'] as const;
export type CircuitType = (typeof CIRCUIT_TYPES)[number];

export const CAPACITY_RESOURCES = ['SPACE_U', 'POWER_KW', 'BANDWIDTH_MBPS'] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];
