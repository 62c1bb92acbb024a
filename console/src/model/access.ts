// Which views a role sees: a view shows when its role may run the queries the view is made of
// (docs/api.md, "Access"); the others are not offered rather than failing with FORBIDDEN.
import type { ViewName } from './route';

export type RoleName = 'ADMIN' | 'PLANNER' | 'PROCUREMENT' | 'COMPLIANCE' | 'VIEWER';

const ALL: readonly RoleName[] = ['ADMIN', 'PLANNER', 'PROCUREMENT', 'COMPLIANCE', 'VIEWER'];
const COST: readonly RoleName[] = ['ADMIN', 'PLANNER', 'COMPLIANCE', 'VIEWER'];
const COMPLIANCE: readonly RoleName[] = ['ADMIN', 'PLANNER', 'COMPLIANCE'];

export const VIEWS: ReadonlyArray<{ name: ViewName; title: string; roles: readonly RoleName[] }> = [
  { name: 'network', title: 'Network', roles: ALL },
  { name: 'pop', title: 'PoP', roles: ALL },
  { name: 'find', title: 'Find capacity', roles: ALL },
  { name: 'residency', title: 'Residency', roles: COMPLIANCE },
  { name: 'cost', title: 'Cost', roles: COST },
  { name: 'scenarios', title: 'Scenarios', roles: COST },
];

export function viewsFor(role: RoleName): ViewName[] {
  return VIEWS.filter((view) => view.roles.includes(role)).map((view) => view.name);
}

/** Cost figures inside other views (network table, PoP view) need the cost role too. */
export const seesCost = (role: RoleName): boolean => COST.includes(role);
/** The event history (PoP view) needs the compliance-read role. */
export const seesHistory = (role: RoleName): boolean => COMPLIANCE.includes(role);
