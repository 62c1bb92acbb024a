import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { AsOfAnswers } from '../../platform/projections/as-of-answers.util';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import { evaluateResidency, forEachResidencyRow } from '../domain/evaluate-residency.rules';
import { summarize } from '../domain/residency-summary.math';
import type { Readable } from 'node:stream';
import { ResidencyCsvPage, residencyCsvStream } from './residency-report.csv';
import { ResidencyReport } from './residency-report.types';
import { residencyProjection } from './residency.projection';
import { loadResidencyInput, loadResidencyPage, loadResidencySharedViews, PlacementPage, ResidencyFilter } from './residency-views.reader';

/** The residency report at `filter.asOf` (docs/domain.md, "Residency model"): one row per placement, category and policy. */
export class ResidencyReportQuery extends Query<ResidencyReport> {
  constructor(readonly filter: ResidencyFilter) {
    super();
  }
}

/**
 * The first instant after $1 at which a placement or a policy starts or ends (null: none), i.e. at which
 * the report's rows may change.
 */
const NEXT_RESIDENCY_CHANGE = `SELECT least(
    (SELECT least(min(placed_at) FILTER (WHERE placed_at > $1::timestamptz), min(withdrawn_at) FILTER (WHERE withdrawn_at > $1::timestamptz)) FROM rm_res_placement),
    (SELECT least(min(effective_from) FILTER (WHERE effective_from > $1::timestamptz), min(retired_at) FILTER (WHERE retired_at > $1::timestamptz)) FROM rm_res_policy)) AS at`;

/** The next midnight UTC after `asOf`: group membership (and so a row's outcome) is read on asOf's calendar day. */
const nextUtcDay = (asOf: string) => new Date(`${asOf.slice(0, 10)}T00:00:00.000Z`).getTime() + 86_400_000;

/**
 * A report's rows and summary are kept per filter while the residency projection has not moved and no
 * placement or policy starts or ends, nor the UTC day turns, between the instant they were read at and
 * asOf (AsOfAnswers): compliance asks about "now", and a whole report is read and evaluated anew each time
 * otherwise. Each answer is a new object with its own asOf and generatedAt around the kept rows.
 */
@QueryHandler(ResidencyReportQuery)
export class ResidencyReportHandler implements IQueryHandler<ResidencyReportQuery> {
  private readonly reports: AsOfAnswers<Pick<ResidencyReport, 'rows' | 'summary'>>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    projections: ProjectionEngine,
  ) {
    this.reports = new AsOfAnswers(projections, [residencyProjection.name], 8);
  }

  async execute({ filter }: ResidencyReportQuery): Promise<ResidencyReport> {
    const key = JSON.stringify([filter.tenant, filter.dataCategory, filter.countryCode]);
    const { rows, summary } = await this.reports.get(key, filter.asOf, async () => {
      const [input, change] = await Promise.all([
        loadResidencyInput(this.sql, filter),
        this.sql.query<{ at: Date | null }>(NEXT_RESIDENCY_CHANGE, [filter.asOf]),
      ]);
      const rows = evaluateResidency(input);
      const next = change.rows[0]?.at?.getTime() ?? Infinity;
      // The category and country filters already narrowed the input; a row can only match them.
      return { value: { rows, summary: summarize(rows) }, until: new Date(Math.min(next, nextUtcDay(filter.asOf))) };
    });
    return { asOf: filter.asOf, generatedAt: new Date().toISOString(), rows, summary };
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
    const shared = await loadResidencySharedViews(this.sql, filter);
    const load = (after: PlacementPage['after']) => {
      const loading = loadResidencyPage(this.sql, filter, { after, size }, shared);
      // Taken by the next turn of the loop; a reader that stops early leaves it unawaited.
      loading.catch(() => undefined);
      return loading;
    };
    let next = load(null);
    for (;;) {
      const input = await next;
      const more = input.placements.length >= size;
      if (more) {
        // The page's statement orders by the key: its last placement has the greatest.
        const last = input.placements[input.placements.length - 1];
        next = load({ workloadId: last.workloadId, popId: last.popId });
      }
      yield (sink) => forEachResidencyRow(input, sink);
      if (!more) return;
    }
  }
}
