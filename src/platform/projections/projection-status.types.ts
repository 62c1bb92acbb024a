import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class FailedEventInfo {
  @Field() eventId: string;
  @Field() type: string;
  @Field() streamId: string;
  @Field(() => Int) revision: number;
  @Field() position: string;
}

/** `projectionStatus` (docs/api.md, "GraphQL overview"): where each read model stands in the global log. */
@ObjectType('ProjectionStatus')
export class ProjectionStatusNode {
  @Field() name: string;
  @Field(() => String, { nullable: true }) position: string | null;
  @Field(() => Int) lagEvents: number;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field({ description: 'RUNNING, or FAILED when it stopped on an event (see failedEvent)' }) status: string;
  @Field(() => FailedEventInfo, { nullable: true }) failedEvent: FailedEventInfo | null;
}

@ObjectType()
export class RebuildResultNode {
  @Field(() => [String]) projections: string[];
  @Field(() => Int) events: number;
  @Field(() => String, { nullable: true }) position: string | null;
  @Field(() => Int) durationMs: number;
}
