import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import type { AuthenticatedRequest } from '../../platform/api/auth/auth.guard';
import { keptAnswerList } from '../../platform/api/http/kept-answer-bytes.util';
import { ResidencyReportQuery } from './residency-report.query';
import { ResidencyReport, ResidencyReportArgs, ResidencyRow, residencyFilter } from './residency-report.types';

@Resolver(() => ResidencyReport)
export class ResidencyReportResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => ResidencyReport, { description: 'Where data sits at asOf and whether it complies with the residency policies in force' })
  @Access('complianceRead')
  residencyReport(@Args() args: ResidencyReportArgs): Promise<ResidencyReport> {
    return this.queries.execute(new ResidencyReportQuery(residencyFilter(args)));
  }

  /**
   * Kept rows (ResidencyReportHandler) are sent as the bytes written from them for the same request: the
   * report's asOf differs on every request for "now", its rows only when they may change.
   */
  @ResolveField(() => [ResidencyRow])
  rows(@Parent() report: ResidencyReport, @Context('req') request: AuthenticatedRequest | undefined, @Info() info: GraphQLResolveInfo): ResidencyRow[] {
    return keptAnswerList(request, info, report.rows);
  }
}
