import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { evaluateResidency } from '../domain/evaluate-residency.rules';
import { summarize } from '../domain/residency-summary.math';
import { ResidencyReport } from './residency-report.types';
import { loadResidencyInput, ResidencyFilter } from './residency-views.reader';

/** The residency report at `filter.asOf` (docs/domain.md, "Residency model"): one row per placement, category and policy. */
export class ResidencyReportQuery extends Query<ResidencyReport> {
  constructor(readonly filter: ResidencyFilter) {
    super();
  }
}

@QueryHandler(ResidencyReportQuery)
export class ResidencyReportHandler implements IQueryHandler<ResidencyReportQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ filter }: ResidencyReportQuery): Promise<ResidencyReport> {
    const rows = evaluateResidency(await loadResidencyInput(this.sql, filter));
    // The category and country filters already narrowed the input; a row can only match them.
    return { asOf: filter.asOf, generatedAt: new Date().toISOString(), rows, summary: summarize(rows) };
  }
}
