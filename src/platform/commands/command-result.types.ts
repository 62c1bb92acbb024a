import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../api/scalars/date-time.scalar';
import { JsonScalar } from '../api/scalars/json.scalar';

/** An event a dry run would append (docs/api.md, "Dry runs"). */
@ObjectType()
export class PlannedEvent {
  @Field() type: string;
  @Field(() => ID) streamId: string;
  @Field(() => DateTimeScalar) effectiveAt: string;
  @Field(() => JsonScalar) data: Record<string, unknown>;
}

/** What every mutation answers (docs/api.md, "GraphQL overview"). */
@ObjectType()
export class CommandResult {
  @Field(() => ID) streamId: string;
  @Field(() => Int) revision: number;
  @Field() position: string;
  @Field(() => [ID]) eventIds: string[];
  @Field() duplicate: boolean;
  @Field() projected: boolean;
  @Field({ description: 'true: decided only (dryRun), nothing was appended' }) dryRun: boolean;
  @Field(() => [PlannedEvent], { description: 'The events a dry run would append; empty for a real command' }) wouldRecord: PlannedEvent[];
}
