import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { AsOfAnswers } from '../../platform/projections/as-of-answers.util';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import { COST_CATEGORIES, CostGroupBy } from '../domain/cost.enums';
import { costProjection, recurringAt } from './cost.projection';
import { CostGroup } from './cost.types';
import { fxRatesProjection } from './fx-rates.projection';
import { loadFxConverter } from './fx-converter.reader';
import { addTo, compareCodes, CurrencyTotals, money, moneyList } from '../domain/decimal.math';

/**
 * Monthly recurring cost at `asOf` of every registered PoP, grouped (docs/api.md, "GraphQL overview"), sorted by key.
 * POP, COUNTRY and REGION count every PoP of the group (also those without cost); CATEGORY lists all
 * four categories and counts the PoPs with a nonzero MRC in each.
 */
export class GetCostSummaryQuery extends Query<CostGroup[]> {
  constructor(
    readonly groupBy: CostGroupBy,
    readonly asOf: string,
    readonly currency: string | null,
  ) {
    super();
  }
}

/** A group's PoP count (currency NULL) or its MRC in one currency (pop_count NULL). */
interface GroupRow {
  key: string;
  currency: string | null;
  amount: string | null;
  pop_count: number | null;
}

/** Grouping keys, as columns of both rm_cost_pop and rm_cost_recurring (which copies them). */
const GROUP_KEYS: Record<Exclude<CostGroupBy, 'CATEGORY'>, string> = {
  POP: 'pop_id',
  COUNTRY: 'country_code',
  REGION: `coalesce(region, 'UNKNOWN')`,
};

/**
 * One statement each: numeric sums per (key, currency) over the items active at $1 in one scan, and the
 * PoP counts; conversion then happens in TypeScript. In a CATEGORY, the PoPs counted are those with a
 * nonzero MRC in it: amounts are never negative, so those with a nonzero active item.
 */
function summarySql(groupBy: CostGroupBy): string {
  if (groupBy === 'CATEGORY') {
    return `
      SELECT category AS key, currency, sum(amount)::text AS amount, NULL::int AS pop_count
        FROM rm_cost_recurring WHERE ${recurringAt('$1')} GROUP BY 1, 2
      UNION ALL
      SELECT category, NULL, NULL, count(*)::int
        FROM (SELECT DISTINCT category, pop_id FROM rm_cost_recurring WHERE ${recurringAt('$1')} AND amount <> 0) AS paying
       GROUP BY 1`;
  }
  const key = GROUP_KEYS[groupBy];
  return `
    SELECT ${key} AS key, NULL AS currency, NULL AS amount, count(*)::int AS pop_count FROM rm_cost_pop GROUP BY 1
    UNION ALL
    SELECT ${key}, currency, sum(amount)::text, NULL FROM rm_cost_recurring WHERE ${recurringAt('$1')} GROUP BY 1, 2`;
}

/** The first instant after $1 at which an MRC starts or ends (null: none). */
const NEXT_RECURRING_CHANGE = `SELECT least(min(valid_from) FILTER (WHERE valid_from > $1::timestamptz), min(valid_to) FILTER (WHERE valid_to > $1::timestamptz)) AS at
  FROM rm_cost_recurring`;

/** The first instant after $1 at which another set of exchange rates takes effect (null: none). */
const NEXT_FX_CHANGE = `SELECT min(effective_at) AS at FROM rm_fx_rate WHERE effective_at > $1::timestamptz`;

/**
 * A summary is read whole (every PoP's MRC), so it is kept per grouping and currency while the cost
 * and FX projections have not moved and no MRC or rate change falls between the instant it was read at
 * and asOf (AsOfAnswers): planners ask about "now" all day, and costs change far less often.
 */
@QueryHandler(GetCostSummaryQuery)
export class GetCostSummaryHandler implements IQueryHandler<GetCostSummaryQuery> {
  private readonly summaries: AsOfAnswers<CostGroup[]>;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    projections: ProjectionEngine,
  ) {
    this.summaries = new AsOfAnswers(projections, [costProjection.name, fxRatesProjection.name]);
  }

  execute({ groupBy, asOf, currency }: GetCostSummaryQuery): Promise<CostGroup[]> {
    return this.summaries.get(`${groupBy} ${currency}`, asOf, async () => {
      const [value, ...changes] = await Promise.all([
        this.read(groupBy, asOf, currency),
        this.sql.query<{ at: Date | null }>(NEXT_RECURRING_CHANGE, [asOf]),
        currency === null ? null : this.sql.query<{ at: Date | null }>(NEXT_FX_CHANGE, [asOf]),
      ]);
      const next = changes.map((change) => change?.rows[0]?.at ?? null).filter((at) => at !== null);
      return { value, until: next.length === 0 ? null : new Date(Math.min(...next.map((at) => at.getTime()))) };
    });
  }

  private async read(groupBy: CostGroupBy, asOf: string, currency: string | null): Promise<CostGroup[]> {
    const [{ rows }, fx] = await Promise.all([
      this.sql.query<GroupRow>(summarySql(groupBy), [asOf]),
      currency === null ? null : loadFxConverter(this.sql, asOf),
    ]);
    const groups = new Map<string, { popCount: number; totals: CurrencyTotals }>(
      groupBy === 'CATEGORY' ? COST_CATEGORIES.map((category) => [category, { popCount: 0, totals: new Map() }]) : [],
    );
    for (const row of rows) {
      let group = groups.get(row.key);
      if (!group) groups.set(row.key, (group = { popCount: 0, totals: new Map() }));
      if (row.currency === null) group.popCount = row.pop_count ?? 0;
      else addTo(group.totals, row.currency, row.amount as string);
    }
    return [...groups]
      .sort(([a], [b]) => compareCodes(a, b))
      .map(([key, { popCount, totals }]) => ({
        key,
        popCount,
        monthlyRecurring: moneyList(totals),
        converted: fx && currency !== null ? money(fx.total(totals, currency), currency) : null,
      }));
  }
}
