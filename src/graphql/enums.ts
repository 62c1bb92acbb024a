import { registerEnumType } from '@nestjs/graphql';
import { CAPACITY_STATUSES } from '../domain/capacity/capacity-math';
import {
  CAPACITY_RESOURCES, CIRCUIT_TYPES, DEVICE_ROLES, FEED_PHASES, FEED_SIDES, OPERATOR_MODELS, POP_KINDS, POP_STATUSES,
} from '../domain/pop/pop.enums';
import { RESIDENCY_POLICY_KINDS } from '../domain/policy/policy.enums';
import { RESIDENCY_OUTCOMES } from '../domain/residency/residency.types';
import { DATA_CATEGORIES, PLACEMENT_ROLES } from '../domain/workload/workload.enums';
import { COST_CATEGORIES, COST_GROUP_BYS } from '../cost/cost-categories';

/** GraphQL enums are built from the domain's const arrays, so the two can never drift apart. */
function graphqlEnum<const T extends readonly string[]>(name: string, values: T): { [K in T[number]]: K } {
  const object = Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
  registerEnumType(object, { name });
  return object;
}

export const PopKindEnum = graphqlEnum('PopKind', POP_KINDS);
export const OperatorModelEnum = graphqlEnum('OperatorModel', OPERATOR_MODELS);
export const PopStatusEnum = graphqlEnum('PopStatus', POP_STATUSES);
export const FeedSideEnum = graphqlEnum('FeedSide', FEED_SIDES);
export const FeedPhaseEnum = graphqlEnum('FeedPhase', FEED_PHASES);
export const DeviceRoleEnum = graphqlEnum('DeviceRole', DEVICE_ROLES);
export const CircuitTypeEnum = graphqlEnum('CircuitType', CIRCUIT_TYPES);
export const CapacityResourceEnum = graphqlEnum('CapacityResource', CAPACITY_RESOURCES);
export const CapacityStatusEnum = graphqlEnum('CapacityStatus', CAPACITY_STATUSES);
export const CostCategoryEnum = graphqlEnum('CostCategory', COST_CATEGORIES);
export const CostGroupByEnum = graphqlEnum('CostGroupBy', COST_GROUP_BYS);
export const DataCategoryEnum = graphqlEnum('DataCategory', DATA_CATEGORIES);
export const PlacementRoleEnum = graphqlEnum('PlacementRole', PLACEMENT_ROLES);
export const PolicyKindEnum = graphqlEnum('PolicyKind', RESIDENCY_POLICY_KINDS);
export const ResidencyOutcomeEnum = graphqlEnum('ResidencyOutcome', RESIDENCY_OUTCOMES);
