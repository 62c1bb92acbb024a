import { graphqlEnum } from '../platform/api/graphql-enum.util';
import { CAPACITY_STATUSES } from './domain/capacity.math';
import {
  CAPACITY_RESOURCES, CIRCUIT_TYPES, DEVICE_ROLES, FEED_PHASES, FEED_SIDES, OPERATOR_MODELS, POP_KINDS, POP_STATUSES,
} from './domain/pop.enums';

export const PopKindEnum = graphqlEnum('PopKind', POP_KINDS);
export const OperatorModelEnum = graphqlEnum('OperatorModel', OPERATOR_MODELS);
export const PopStatusEnum = graphqlEnum('PopStatus', POP_STATUSES);
export const FeedSideEnum = graphqlEnum('FeedSide', FEED_SIDES);
export const FeedPhaseEnum = graphqlEnum('FeedPhase', FEED_PHASES);
export const DeviceRoleEnum = graphqlEnum('DeviceRole', DEVICE_ROLES);
export const CircuitTypeEnum = graphqlEnum('CircuitType', CIRCUIT_TYPES);
export const CapacityResourceEnum = graphqlEnum('CapacityResource', CAPACITY_RESOURCES);
export const CapacityStatusEnum = graphqlEnum('CapacityStatus', CAPACITY_STATUSES);
