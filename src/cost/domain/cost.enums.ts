/** Cost vocabularies as const arrays, so that the GraphQL enums are built from them (src/cost/cost-enums.graphql.ts). */

/** Categories of monthly recurring cost (docs/domain.md, "Cost formulas"), in the order answers list them. */
export const COST_CATEGORIES = ['LEASE', 'POWER', 'CONNECTIVITY', 'CLOUD'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export const COST_GROUP_BYS = ['POP', 'COUNTRY', 'REGION', 'CATEGORY'] as const;
export type CostGroupBy = (typeof COST_GROUP_BYS)[number];
