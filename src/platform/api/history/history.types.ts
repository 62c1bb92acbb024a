import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../relay.types';
import { DateTimeScalar } from '../scalars/date-time.scalar';
import { JsonScalar } from '../scalars/json.scalar';

@ObjectType('Event')
export class EventNode {
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field(() => ID) streamId: string;
  @Field(() => Int) revision: number;
  @Field() position: string;
  @Field(() => DateTimeScalar) effectiveAt: string;
  @Field(() => DateTimeScalar) recordedAt: string;
  @Field() actor: string;
  @Field() source: string;
  @Field(() => ID) commandId: string;
  @Field(() => ID, { nullable: true }) correlationId: string | null;
  @Field(() => Int) schemaVersion: number;
  @Field(() => JsonScalar) data: unknown;
}

@ObjectType()
export class EventEdge {
  @Field() cursor: string;
  @Field(() => EventNode) node: EventNode;
}

@ObjectType()
export class EventConnection {
  @Field(() => [EventEdge]) edges: EventEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}
