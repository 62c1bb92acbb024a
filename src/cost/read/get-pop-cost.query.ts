import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { Money } from '../../kernel/money.types';
import { GetCapacityQuery } from '../../inventory';
import { COST_CATEGORIES, CostCategory } from '../domain/cost.enums';
import { recurringAt } from './cost.projection';
import { PopCost } from './cost.types';
import { loadFxConverter } from './fx-converter.reader';
import { addTo, CurrencyTotals, Decimal, money, moneyList } from '../domain/decimal.math';

/** A PoP's cost at `asOf` (docs/domain.md, "Cost formulas"); null for a PoP that was never registered. */
export class GetPopCostQuery extends Query<PopCost | null> {
  constructor(
    readonly popId: string,
    readonly asOf: string,
    /** ISO 4217 code to convert into, or null. */
    readonly currency: string | null,
  ) {
    super();
  }
}

interface CostRow {
  /** Null on a one-off row. */
  category: CostCategory | null;
  currency: string | null;
  amount: string | null;
}

/**
 * No row for an unknown PoP; else MRC per (category, currency) of the items active at $2, and one-off
 * costs per currency effective in [$3, $4) (category NULL); one row of NULLs for a PoP without any.
 */
const POP_COST_SQL = `
  SELECT c.category, c.currency, c.amount
    FROM rm_cost_pop p
    LEFT JOIN LATERAL (
      SELECT category, currency, sum(amount)::text AS amount FROM rm_cost_recurring
       WHERE pop_id = p.pop_id AND ${recurringAt('$2')} GROUP BY category, currency
      UNION ALL
      SELECT NULL, currency, sum(amount)::text FROM rm_cost_one_off
       WHERE pop_id = p.pop_id AND effective_at >= $3::timestamptz AND effective_at < $4::timestamptz GROUP BY currency
    ) c ON true
   WHERE p.pop_id = $1`;

@QueryHandler(GetPopCostQuery)
export class GetPopCostHandler implements IQueryHandler<GetPopCostQuery> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly queries: QueryBus,
  ) {}

  async execute({ popId, asOf, currency }: GetPopCostQuery): Promise<PopCost | null> {
    // One-off costs count in the UTC calendar month that contains asOf.
    const [start, end] = monthOf(asOf);
    const [{ rows }, fx] = await Promise.all([
      this.sql.query<CostRow>(POP_COST_SQL, [popId, asOf, start, end]),
      currency === null ? null : loadFxConverter(this.sql, asOf),
    ]);
    if (rows.length === 0) return null;

    const total: CurrencyTotals = new Map();
    const oneOff: CurrencyTotals = new Map();
    const byCategory = new Map<CostCategory, CurrencyTotals>(COST_CATEGORIES.map((category) => [category, new Map()]));
    for (const row of rows) {
      if (row.currency === null || row.amount === null) continue;
      if (row.category === null) {
        addTo(oneOff, row.currency, row.amount);
      } else {
        addTo(total, row.currency, row.amount);
        addTo(byCategory.get(row.category) as CurrencyTotals, row.currency, row.amount);
      }
    }

    const converted = fx && currency !== null ? { amount: fx.total(total, currency), currency } : null;
    // Unit costs need one currency: the converted total, or else the PoP's only currency.
    const [single] = total.size === 1 ? [...total] : [];
    const base = converted ?? (single ? { amount: single[1], currency: single[0] } : null);
    const capacity = base ? await this.queries.execute(new GetCapacityQuery(popId, asOf)) : null;
    const per = (denominator: number | undefined): Money | null =>
      base && denominator ? money(base.amount.dividedBy(new Decimal(denominator)), base.currency) : null;

    return {
      popId,
      asOf,
      monthlyRecurring: moneyList(total),
      byCategory: COST_CATEGORIES.map((category) => ({ category, monthlyRecurring: moneyList(byCategory.get(category) as CurrencyTotals) })),
      oneOff: moneyList(oneOff),
      converted: converted && money(converted.amount, converted.currency),
      costPerUsableKw: per(capacity?.power.usableKw),
      costPerU: per(capacity?.space.totalU),
      costPerMbps: per(capacity?.network.capacityMbps),
    };
  }
}

/** [first instant of asOf's UTC calendar month, first instant of the next), ISO. */
function monthOf(asOf: string): [string, string] {
  const at = new Date(asOf);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  return [new Date(Date.UTC(year, month, 1)).toISOString(), new Date(Date.UTC(year, month + 1, 1)).toISOString()];
}
