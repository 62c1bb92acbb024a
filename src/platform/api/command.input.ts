import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsEntityId } from './validation/field.validators';
import { DateTimeScalar } from './scalars/date-time.scalar';

/** Fields every mutation input has (docs/api.md, "GraphQL overview"). */
@InputType({ isAbstract: true })
export abstract class CommandInput {
  @Field(() => ID, { nullable: true, description: 'Idempotency key: a repeated commandId returns the first result' })
  @IsOptional()
  @IsEntityId()
  commandId?: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the fact is true in the world (default now)' })
  @IsOptional()
  effectiveAt?: string;

  @Field(() => Int, { nullable: true, description: 'Revision the stream must be at (optimistic concurrency)' })
  @IsOptional()
  @IsInt()
  @Min(-1)
  @Max(Number.MAX_SAFE_INTEGER)
  expectedRevision?: number;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Decide without recording: validated and decided exactly like the real command, nothing appended (CommandResult.wouldRecord)',
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
