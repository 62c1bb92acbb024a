import { Args, Query, Resolver } from '@nestjs/graphql';
import { QueryBus } from '@nestjs/cqrs';
import { Access } from '../../platform/api/auth/access.decorator';
import { KeptAnswerBytes } from '../../platform/api/http/kept-answer-bytes.util';
import { GetCostSummaryQuery } from './cost-summary.query';
import { CostArgs, CostGroup, CostSummaryArgs, PopCost } from './cost.types';
import { GetPopCostQuery } from './get-pop-cost.query';

/** Cost queries (docs/domain.md, "Cost formulas"; docs/api.md, "GraphQL overview"); `asOf` defaults to now. */
@Resolver()
@Access('costRead')
export class CostResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => PopCost, { nullable: true })
  cost(@Args() { popId, asOf, currency }: CostArgs): Promise<PopCost | null> {
    return this.queries.execute(new GetPopCostQuery(popId, asOf ?? new Date().toISOString(), currency ?? null));
  }

  /** A kept summary (GetCostSummaryHandler) is sent as the bytes written from it for the same request. */
  @Query(() => [CostGroup])
  @KeptAnswerBytes()
  costSummary(@Args() { groupBy, asOf, currency }: CostSummaryArgs): Promise<CostGroup[]> {
    return this.queries.execute(new GetCostSummaryQuery(groupBy, asOf ?? new Date().toISOString(), currency ?? null));
  }
}
