import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { compareText } from '../../kernel/compare-text.util';
import { evaluateResidency, forEachResidencyRow } from '../domain/evaluate-residency.rules';
import { summarize } from '../domain/residency-summary.math';
import type { Readable } from 'node:stream';
import { ResidencyCsvPage, residencyCsvStream } from './residency-report.csv';
import { ResidencyReport } from './residency-report.types';
import { EVENT_IDS, loadResidencyInput, loadResidencySharedViews, PlacementPage, ResidencyFilter } from './residency-views.reader';

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

/** The residency report's rows as a CSV stream, read page by page (constant memory for any size). */
export class ResidencyCsvQuery extends Query<Readable> {
  constructor(
    readonly filter: ResidencyFilter,
    /** Placements per page: each gives a few rows (one per category and policy). */
    readonly pageSize = 2_000,
  ) {
    super();
  }
}

@QueryHandler(ResidencyCsvQuery)
export class ResidencyCsvHandler implements IQueryHandler<ResidencyCsvQuery> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({ filter, pageSize }: ResidencyCsvQuery): Promise<Readable> {
    return residencyCsvStream(this.pages(filter, pageSize));
  }

  /**
   * The rows page after page, in the report's order: pages follow the key order its rows sort by first.
   * The next page is read while this one is evaluated and sent (two pages in memory at most); the
   * policies and PoPs are read once. Evidence as event ids only (text columns): the CSV shows no more of it.
   */
  private async *pages(filter: ResidencyFilter, size: number): AsyncGenerator<ResidencyCsvPage> {
    const shared = await loadResidencySharedViews(this.sql, filter, EVENT_IDS);
    const load = (after: PlacementPage['after']) => {
      const loading = loadResidencyInput(this.sql, filter, { after, size }, shared, EVENT_IDS);
      // Taken by the next turn of the loop; a reader that stops early leaves it unawaited.
      loading.catch(() => undefined);
      return loading;
    };
    let next = load(null);
    for (;;) {
      const input = await next;
      const more = input.placements.length >= size;
      if (more) {
        const last = input.placements.reduce((max, p) => (compareText(p.workloadId, max.workloadId) || compareText(p.popId, max.popId)) > 0 ? p : max);
        next = load({ workloadId: last.workloadId, popId: last.popId });
      }
      yield (sink) => forEachResidencyRow(input, sink);
      if (!more) return;
    }
  }
}
