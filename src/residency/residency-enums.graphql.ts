import { graphqlEnum } from '../platform/api/graphql-enum.util';
import { RESIDENCY_POLICY_KINDS } from './domain/policy.enums';
import { RESIDENCY_OUTCOMES } from './domain/residency.types';
import { DATA_CATEGORIES, PLACEMENT_ROLES } from './domain/workload.enums';

export const DataCategoryEnum = graphqlEnum('DataCategory', DATA_CATEGORIES);
export const PlacementRoleEnum = graphqlEnum('PlacementRole', PLACEMENT_ROLES);
export const PolicyKindEnum = graphqlEnum('PolicyKind', RESIDENCY_POLICY_KINDS);
export const ResidencyOutcomeEnum = graphqlEnum('ResidencyOutcome', RESIDENCY_OUTCOMES);
