import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

/** What every mutation answers (docs/api.md, "GraphQL overview"). */
@ObjectType()
export class CommandResult {
  @Field(() => ID) streamId: string;
  @Field(() => Int) revision: number;
  @Field() position: string;
  @Field(() => [ID]) eventIds: string[];
  @Field() duplicate: boolean;
  @Field() projected: boolean;
}
