export const ROLES = ['admin', 'planner', 'procurement', 'compliance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who may do what (docs/api.md, "Access"). Resolvers and routes declare one of these. */
export const ACCESS = {
  inventoryWrite: ['admin', 'planner', 'procurement'],
  workloadWrite: ['admin', 'planner'],
  adminOnly: ['admin'],
  procurementPush: ['admin', 'procurement'],
  planningRead: ['admin', 'planner', 'procurement', 'compliance', 'viewer'],
  costRead: ['admin', 'planner', 'compliance', 'viewer'],
  complianceRead: ['admin', 'planner', 'compliance'],
  scenarioWrite: ['admin', 'planner'],
  scenarioRead: ['admin', 'planner', 'compliance', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type AccessRule = keyof typeof ACCESS;

/** The authenticated caller; its name becomes the `actor` of the events it causes. */
export interface Principal {
  name: string;
  role: Role;
}
