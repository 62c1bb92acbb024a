import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Access } from '../../platform/api/auth/access.decorator';
import type { Readable } from 'node:stream';
import { residencyCsvFileName } from './residency-report.csv';
import { ResidencyCsvQuery, ResidencyReportQuery } from './residency-report.query';
import { ResidencyReport, ResidencyReportArgs, residencyFilter } from './residency-report.types';

/** The residency report for compliance officers' tools and spreadsheets: same filters and object as GraphQL. */
@Controller('reports')
@Access('complianceRead')
export class ResidencyReportController {
  constructor(private readonly queries: QueryBus) {}

  @Get('residency.json')
  json(@Query() args: ResidencyReportArgs): Promise<ResidencyReport> {
    return this.report(args);
  }

  @Get('residency.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(@Query() args: ResidencyReportArgs, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    const filter = residencyFilter(args);
    void reply.header('content-disposition', `attachment; filename="${residencyCsvFileName(filter.asOf)}"`);
    return this.queries.execute(new ResidencyCsvQuery(filter));
  }

  private report(args: ResidencyReportArgs): Promise<ResidencyReport> {
    return this.queries.execute(new ResidencyReportQuery(residencyFilter(args)));
  }
}
