import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { CapacityStatus } from '../domain/capacity.math';
import { CapacityForecastFigures, ForecastSeries, UtilizationPoint } from '../domain/forecast.math';
import {
  NetworkCapacityFigures,
  CircuitTypeCapacityFigures,
  PopCapacityFigures,
  PowerCapacityFigures,
  RackCapacityFigures,
  SpaceCapacityFigures,
} from '../domain/pop-capacity-at.math';
import { CapacityResource, CircuitType, OperatorModel, PopKind, PopStatus } from '../domain/pop.enums';
import {
  CapacityResourceEnum, CapacityStatusEnum, CircuitTypeEnum, OperatorModelEnum, PopKindEnum, PopStatusEnum,
} from '../inventory-enums.graphql';
import { PageInfo } from '../../platform/api/relay.types';
import { DateScalar } from '../../platform/api/scalars/date.scalar';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';

/** The planning answers of docs/api.md, "GraphQL overview"; the capacity shapes are the domain's figures as GraphQL types. */

@ObjectType()
export class Pop {
  @Field(() => ID) popId: string;
  @Field() code: string;
  @Field() name: string;
  @Field(() => PopKindEnum) kind: PopKind;
  @Field(() => OperatorModelEnum) operatorModel: OperatorModel;
  @Field(() => PopStatusEnum, { description: 'Status at asOf' }) status: PopStatus;
  @Field() countryCode: string;
  @Field(() => String, { nullable: true }) city: string | null;
  @Field(() => String, { nullable: true }) region: string | null;
  @Field(() => Float, { nullable: true }) latitude: number | null;
  @Field(() => Float, { nullable: true }) longitude: number | null;
  @Field(() => String, { nullable: true }) provider: string | null;
  @Field(() => String, { nullable: true }) cloudRegion: string | null;
}

@ObjectType()
export class PopEdge {
  @Field() cursor: string;
  @Field(() => Pop) node: Pop;
}

@ObjectType()
export class PopConnection {
  @Field(() => [PopEdge]) edges: PopEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}

@ObjectType()
export class RackCapacity implements RackCapacityFigures {
  @Field(() => ID) rackId: string;
  @Field(() => Int) totalU: number;
  @Field(() => Int) usedU: number;
  @Field(() => Int) freeU: number;
  @Field(() => Float) provisionedKw: number;
  @Field(() => Float) usableKw: number;
  @Field(() => Float) allocatedKw: number;
}

@ObjectType()
export class SpaceCapacity implements SpaceCapacityFigures {
  @Field(() => Int) totalU: number;
  @Field(() => Int) usedU: number;
  @Field(() => Float) reservedU: number;
  @Field(() => Float) freeU: number;
  @Field(() => Float) utilizationPercent: number;
  @Field(() => CapacityStatusEnum) status: CapacityStatus;
  @Field(() => [RackCapacity], { description: 'Racks present at asOf, by rackId' }) racks: RackCapacity[];
}

@ObjectType()
export class PowerCapacity implements PowerCapacityFigures {
  @Field(() => Float) provisionedKw: number;
  @Field(() => Float) usableKw: number;
  @Field(() => Float) allocatedKw: number;
  @Field(() => Float) reservedKw: number;
  @Field(() => Float) headroomKw: number;
  @Field(() => Float) utilizationPercent: number;
  @Field({ description: 'Every rack that has feeds has them on both sides' }) redundant: boolean;
  @Field(() => CapacityStatusEnum) status: CapacityStatus;
}

@ObjectType()
export class CircuitTypeCapacity implements CircuitTypeCapacityFigures {
  @Field(() => CircuitTypeEnum) type: CircuitType;
  @Field(() => Float) capacityMbps: number;
  @Field(() => Int) circuits: number;
}

@ObjectType()
export class NetworkCapacity implements NetworkCapacityFigures {
  @Field(() => Float) capacityMbps: number;
  @Field(() => Float) reservedMbps: number;
  @Field(() => Float) headroomMbps: number;
  @Field(() => Float) utilizationPercent: number;
  @Field(() => CapacityStatusEnum) status: CapacityStatus;
  @Field(() => [CircuitTypeCapacity], { description: 'Present circuits per type, by type' }) byType: CircuitTypeCapacity[];
}

@ObjectType()
export class PopCapacity implements PopCapacityFigures {
  @Field(() => ID) popId: string;
  @Field() code: string;
  @Field() countryCode: string;
  @Field(() => PopStatusEnum, { description: 'Status at asOf' }) status: PopStatus;
  @Field(() => DateTimeScalar) asOf: string;
  @Field(() => CapacityStatusEnum, { description: 'The worst of space, power and network' }) overall: CapacityStatus;
  @Field(() => SpaceCapacity) space: SpaceCapacity;
  @Field(() => PowerCapacity) power: PowerCapacity;
  @Field(() => NetworkCapacity) network: NetworkCapacity;
}

@ObjectType()
export class CapacityForecast implements CapacityForecastFigures, ForecastSeries {
  @Field(() => CapacityResourceEnum) resource: CapacityResource;
  @Field(() => Float) currentUtilizationPercent: number;
  @Field(() => Float, { description: 'Slope of the least-squares line, percentage points per day' }) dailyGrowthPercent: number;
  @Field(() => DateScalar, { nullable: true, description: 'When the line reaches 100 %; null when flat or falling' }) exhaustsOn: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'When the line reaches the critical threshold' }) criticalOn: string | null;
  @Field(() => Int) basedOnPoints: number;
  @Field(() => [UtilizationPointNode], { description: 'The change points of the last 365 days the line is fitted on, oldest first' })
  points: UtilizationPointNode[];
  @Field(() => Float, { nullable: true, description: 'The fitted line at the present (its value today); null without a line' })
  fittedNowPercent: number | null;
  @Field(() => Float, { description: 'Utilization from which the status is WARNING (CAPACITY_WARN_PERCENT)' }) warningPercent: number;
  @Field(() => Float, { description: 'Utilization from which the status is CRITICAL (CAPACITY_CRITICAL_PERCENT)' }) criticalPercent: number;
}

@ObjectType('UtilizationPoint')
export class UtilizationPointNode implements UtilizationPoint {
  @Field(() => DateTimeScalar) at: string;
  @Field(() => Float) utilizationPercent: number;
}
