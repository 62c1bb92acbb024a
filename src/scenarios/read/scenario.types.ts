import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { PopCapacity } from '../../inventory';
import { PopCost } from '../../cost';
import { PageInfo } from '../../platform/api/relay.types';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { ScenarioStatus, StepOutcome } from '../domain/scenario.enums';
import { ScenarioStatusEnum, ScenarioStepOutcomeEnum } from '../scenarios-enums.graphql';
import type { ScenarioEvaluation, ScenarioSnapshot } from './scenario-evaluation.service';

/** GraphQL shapes of the scenario queries (docs/planning-scenarios.md). */

@ObjectType({ description: 'A step of a plan as evaluated on the log as it is now' })
export class ScenarioStep {
  @Field(() => ID) stepId: string;
  @Field(() => Int, { description: 'Position in the plan, from 0' }) index: number;
  @Field({ description: 'The mutation the step is, e.g. installDevice' }) mutation: string;
  @Field(() => ID, { description: 'The stream it would be recorded on' }) streamId: string;
  @Field(() => ID, { nullable: true, description: 'The PoP it names (every inventory step, placing and withdrawing workloads)' }) popId: string | null;
  @Field(() => DateTimeScalar, { description: "The step's effectiveAt; a step without one takes effect at the evaluation's (or commit's) time" })
  effectiveAt: string;
  @Field(() => ScenarioStepOutcomeEnum) outcome: StepOutcome;
  @Field({ description: "Already recorded under the step's derived commandId (by a commit)" }) recorded: boolean;
  @Field(() => String, { nullable: true, description: 'REJECTED: the error code the real command would get' }) code: string | null;
  @Field(() => String, { nullable: true, description: 'REJECTED with RULE_VIOLATION: the rule code' }) rule: string | null;
  @Field(() => String, { nullable: true, description: 'REJECTED: why' }) reason: string | null;
}

@ObjectType({ description: 'A PoP the steps name: capacity and cost at asOf from the log alone (before) and with the accepted steps (after)' })
export class ScenarioImpact {
  @Field(() => ID) popId: string;
  @Field(() => String, { nullable: true, description: "The PoP's code (null: it exists neither in the log nor in the plan)" }) code: string | null;
  @Field(() => PopCapacity, { nullable: true }) before: PopCapacity | null;
  @Field(() => PopCapacity, { nullable: true }) after: PopCapacity | null;
  @Field(() => PopCost, { nullable: true }) costBefore: PopCost | null;
  @Field(() => PopCost, { nullable: true }) costAfter: PopCost | null;
}

/** `valid`, `steps` and `impact` are resolved on demand (ScenarioQueriesResolver): an evaluation. */
@ObjectType({ description: 'A named, shared plan of inventory and workload steps (stream scenario-<scenarioId>)' })
export class Scenario {
  @Field(() => ID) scenarioId: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => ScenarioStatusEnum) status: ScenarioStatus;
  @Field() createdBy: string;
  @Field(() => DateTimeScalar) createdAt: string;
  @Field(() => Int) stepCount: number;
  @Field(() => DateTimeScalar, { description: 'The instant impact is computed at (default now)' }) asOf: string;
  /** Not in the schema: what the evaluation needs, and its result once computed. */
  evaluation?: {
    impact: boolean;
    /** The instant steps without effectiveAt take effect at: the query's time. */
    now: string;
    snapshot?: ScenarioSnapshot;
    result?: Promise<ScenarioEvaluation>;
  };
}

@ObjectType()
export class ScenarioEdge {
  @Field() cursor: string;
  @Field(() => Scenario) node: Scenario;
}

@ObjectType()
export class ScenarioConnection {
  @Field(() => [ScenarioEdge]) edges: ScenarioEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  @Field(() => Int) totalCount: number;
}
