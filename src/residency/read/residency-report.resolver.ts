import { QueryBus } from '@nestjs/cqrs';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { ResidencyReportQuery } from './residency-report.query';
import { ResidencyReport, ResidencyReportArgs, residencyFilter } from './residency-report.types';

@Resolver()
export class ResidencyReportResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => ResidencyReport, { description: 'Where data sits at asOf and whether it complies with the residency policies in force' })
  @Access('complianceRead')
  residencyReport(@Args() args: ResidencyReportArgs): Promise<ResidencyReport> {
    return this.queries.execute(new ResidencyReportQuery(residencyFilter(args)));
  }
}
