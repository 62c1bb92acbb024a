import { Field, ID, ObjectType } from '@nestjs/graphql';
import { StepCommitStatus } from '../domain/scenario.enums';
import { ScenarioStepStatusEnum } from '../scenarios-enums.graphql';

/** What `commitScenario` answers (docs/planning-scenarios.md, "Committing"). */

@ObjectType()
export class ScenarioStepResult {
  @Field(() => ID) stepId: string;
  @Field(() => ScenarioStepStatusEnum, { description: 'accepted: recorded now; duplicate: recorded before (an earlier commit); rejected: not recorded' })
  status: StepCommitStatus;
  @Field(() => String, { nullable: true, description: 'rejected: the error code' }) code: string | null;
  @Field(() => String, { nullable: true, description: 'rejected with RULE_VIOLATION: the rule code' }) rule: string | null;
  @Field(() => String, { nullable: true }) reason: string | null;
  @Field(() => [ID], { description: "The step's events (a duplicate: those recorded the first time); empty when rejected or on a dry run" }) eventIds: string[];
}

@ObjectType()
export class ScenarioCommitResult {
  @Field(() => ID) scenarioId: string;
  @Field({ description: 'Every step is recorded and the scenario is COMMITTED' }) committed: boolean;
  @Field({ description: 'The read models include the recorded steps (read your writes)' }) projected: boolean;
  @Field({ description: 'true: evaluated only (dryRun), nothing was recorded' }) dryRun: boolean;
  @Field(() => [ScenarioStepResult], { description: 'Not committed: each rejected step; committed (or a dry run): every step, in plan order' })
  results: ScenarioStepResult[];
}
