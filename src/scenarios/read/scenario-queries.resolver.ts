import { QueryBus } from '@nestjs/cqrs';
import { Args, ID, Info, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { decodeCursor, pageSize } from '../../platform/api/relay.types';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { ScenarioStatus } from '../domain/scenario.enums';
import { ScenarioStatusEnum } from '../scenarios-enums.graphql';
import { ListScenariosQuery } from './list-scenarios.query';
import { ScenarioEvaluation, ScenarioEvaluator, ScenarioSnapshot } from './scenario-evaluation.service';
import { Scenario, ScenarioConnection, ScenarioImpact, ScenarioStep } from './scenario.types';

/**
 * `scenario` and `scenarios` (docs/planning-scenarios.md). A scenario's `valid`, `steps` and `impact`
 * come from one evaluation of its plan on the log as it is now, made when one of them is asked for
 * (with the impact only when `impact` is in the query).
 */
@Resolver(() => Scenario)
export class ScenarioQueriesResolver {
  constructor(
    private readonly queries: QueryBus,
    private readonly evaluator: ScenarioEvaluator,
  ) {}

  @Query(() => Scenario, { nullable: true, description: 'A scenario, its plan evaluated on the log as it is now, and its impact at asOf (default now); null when unknown' })
  @Access('scenarioRead')
  async scenario(
    @Info() info: GraphQLResolveInfo,
    @Args('scenarioId', { type: () => ID }) scenarioId: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: string,
  ): Promise<Scenario | null> {
    const now = new Date().toISOString();
    const snapshot = await this.evaluator.load(scenarioId);
    if (!snapshot) return null;
    const { scenarioId: id, name, description, status, createdBy, createdAt, steps } = snapshot;
    const header = { scenarioId: id, name, description, status, createdBy, createdAt, stepCount: steps.length };
    return { ...header, asOf: asOf ?? now, evaluation: { impact: asksFor(info, 'impact'), now, snapshot } };
  }

  @Query(() => ScenarioConnection, { description: 'Scenarios ordered by scenarioId, optionally of some statuses only' })
  @Access('scenarioRead')
  scenarios(
    @Info() info: GraphQLResolveInfo,
    @Args('status', { type: () => [ScenarioStatusEnum], nullable: true }) status?: ScenarioStatus[],
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ScenarioConnection> {
    const size = pageSize(first);
    const cursor = decodeCursor(after) ?? null;
    const impact = asksFor(info, 'impact');
    const now = new Date().toISOString();
    return this.queries.execute(new ListScenariosQuery(status ?? null, size, cursor, now)).then((page) => {
      for (const { node } of page.edges) node.evaluation = { impact, now };
      return page;
    });
  }

  @ResolveField(() => Boolean, { description: 'Every step is accepted when the plan is evaluated on the log as it is now' })
  async valid(@Parent() scenario: Scenario): Promise<boolean> {
    return (await this.evaluated(scenario)).valid;
  }

  @ResolveField(() => [ScenarioStep], { description: 'The plan in order, each step with its outcome' })
  async steps(@Parent() scenario: Scenario): Promise<ScenarioStep[]> {
    return (await this.evaluated(scenario)).steps;
  }

  @ResolveField(() => [ScenarioImpact], { description: 'Per PoP the steps name, in order of first mention' })
  async impact(@Parent() scenario: Scenario): Promise<ScenarioImpact[]> {
    return (await this.evaluated(scenario)).impact;
  }

  /** One evaluation per scenario object, whichever of its fields asks first. */
  private evaluated(scenario: Scenario): Promise<ScenarioEvaluation> {
    const evaluation = (scenario.evaluation ??= { impact: true, now: new Date().toISOString() });
    evaluation.result ??= this.evaluate(scenario, evaluation);
    return evaluation.result;
  }

  private async evaluate(scenario: Scenario, { impact, now, snapshot: loaded }: { impact: boolean; now: string; snapshot?: ScenarioSnapshot }): Promise<ScenarioEvaluation> {
    const snapshot = loaded ?? (await this.evaluator.load(scenario.scenarioId));
    if (!snapshot) return { now, asOf: scenario.asOf, valid: true, steps: [], impact: [], planned: [] };
    return this.evaluator.evaluate(snapshot, { asOf: scenario.asOf, now, impact });
  }
}

/** Whether a field named `name` is selected anywhere below the current field (fragments included). */
function asksFor(info: GraphQLResolveInfo, name: string): boolean {
  const visited = new Set<string>();
  const search = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name || search(selection.selectionSet);
      if (selection.kind === Kind.INLINE_FRAGMENT) return search(selection.selectionSet);
      const fragmentName = selection.name.value;
      if (visited.has(fragmentName)) return false;
      visited.add(fragmentName);
      return search(info.fragments[fragmentName]?.selectionSet);
    });
  return info.fieldNodes.some((node: FieldNode) => search(node.selectionSet));
}
