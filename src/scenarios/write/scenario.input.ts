import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CommandInput } from '../../platform/api/command.input';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { MAX_STEPS_PER_CALL } from '../domain/scenario.commands';
import { ScenarioStepInput } from './scenario-step.input';

/** Inputs of the scenario mutations (docs/planning-scenarios.md). Each also takes the CommandInput fields. */

@InputType({ isAbstract: true })
abstract class ScenarioCommandInput extends CommandInput {
  @Field(() => ID) @IsEntityId() scenarioId: string;
}

@InputType()
export class CreateScenarioInput extends ScenarioCommandInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 2_000) description?: string;
}

@InputType()
export class AddScenarioStepsInput extends ScenarioCommandInput {
  @Field(() => [ScenarioStepInput], { description: `Appended to the plan in this order; at most ${MAX_STEPS_PER_CALL} per call` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STEPS_PER_CALL)
  @ValidateNested({ each: true })
  @Type(() => ScenarioStepInput)
  steps: ScenarioStepInput[];
}

@InputType()
export class RemoveScenarioStepInput extends ScenarioCommandInput {
  @Field(() => ID) @IsEntityId() stepId: string;
}

@InputType()
export class DiscardScenarioInput extends ScenarioCommandInput {}

/**
 * `commandId` and `effectiveAt` are those of the ScenarioCommitted event (the steps carry their own);
 * `expectedRevision` pins the scenario stream: the plan as it was reviewed.
 */
@InputType()
export class CommitScenarioInput extends ScenarioCommandInput {}
