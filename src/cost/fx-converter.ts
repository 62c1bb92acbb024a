import { ApiError } from '../common/api-error';
import { SqlQueryable } from '../database/sql-client';
import { CurrencyTotals, Decimal, ZERO } from './money';

/**
 * Converts money at one instant `at` (DESIGN section 6). The rates in force at `at` are those of the
 * base of the latest ExchangeRatesSet effective by then: per currency, the latest rate recorded for
 * that base effective by then (ties between equal effective times go to the later recorded set).
 * The base itself is 1. `amount` C → T = amount × toBase(C) / toBase(T).
 */
export class FxConverter {
  constructor(
    readonly at: string,
    private readonly base: string | null,
    private readonly toBase: ReadonlyMap<string, Decimal>,
  ) {}

  /** Throws BAD_USER_INPUT on field `currency` naming the pair when a rate is missing. */
  convert(amount: Decimal, from: string, to: string): Decimal {
    if (from === to) return amount;
    const fromRate = this.rate(from);
    const toRate = this.rate(to);
    if (!fromRate || !toRate) {
      throw ApiError.badInput([{ field: 'currency', message: `no exchange rate for ${from} to ${to} at ${this.at}` }]);
    }
    return amount.times(fromRate).dividedBy(toRate);
  }

  /** Σ of per-currency totals in `to`; converted currency by currency in code order, so an error names the first missing one. */
  total(totals: CurrencyTotals, to: string): Decimal {
    return [...totals.keys()].sort().reduce((sum, currency) => sum.plus(this.convert(totals.get(currency) as Decimal, currency, to)), ZERO);
  }

  private rate(currency: string): Decimal | undefined {
    return currency === this.base ? new Decimal(1) : this.toBase.get(currency);
  }
}

/** One statement: the base in force at `at`, then the latest rate per currency of that base. */
export async function loadFxConverter(q: SqlQueryable, at: string): Promise<FxConverter> {
  const { rows } = await q.query<{ base: string; currency: string; to_base: string }>(
    `WITH latest AS (
       SELECT base FROM rm_fx_rate WHERE effective_at <= $1::timestamptz ORDER BY effective_at DESC, position DESC LIMIT 1
     )
     SELECT DISTINCT ON (r.currency) r.base, r.currency, r.to_base::text AS to_base
       FROM rm_fx_rate r JOIN latest USING (base)
      WHERE r.effective_at <= $1::timestamptz
      ORDER BY r.currency, r.effective_at DESC, r.position DESC`,
    [at],
  );
  const rates = new Map(rows.map(({ currency, to_base }) => [currency, new Decimal(to_base)]));
  return new FxConverter(at, rows[0]?.base ?? null, rates);
}
