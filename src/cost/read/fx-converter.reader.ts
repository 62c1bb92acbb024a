import { ApiError } from '../../platform/api/errors/api-error.types';
import { SqlQueryable } from '../../platform/database/sql-client.port';
import { compareCodes, CurrencyTotals, Decimal, ZERO } from '../domain/decimal.math';

const ONE = new Decimal(1);

/**
 * Converts money at one instant `at` (docs/domain.md, "Cost formulas"). The rates in force at `at` are those of the
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

  /**
   * Σ of per-currency totals in `to`: Σ amount × toBase(C), exact, then one division by toBase(to).
   * Amounts already in `to` need no rate. Currencies are checked in code order, so a missing rate is
   * BAD_USER_INPUT on field `currency` naming the first currency that cannot be converted.
   */
  total(totals: CurrencyTotals, to: string): Decimal {
    let same = ZERO;
    let inBase = ZERO;
    let toRate: Decimal | undefined;
    for (const currency of [...totals.keys()].sort(compareCodes)) {
      const amount = totals.get(currency) as Decimal;
      if (currency === to) {
        same = same.plus(amount);
        continue;
      }
      const fromRate = this.rate(currency);
      toRate ??= this.rate(to);
      if (!fromRate || !toRate) {
        throw ApiError.badInput([{ field: 'currency', message: `no exchange rate for ${currency} to ${to} at ${this.at}` }]);
      }
      inBase = inBase.plus(amount.times(fromRate));
    }
    if (!toRate) return same;
    return same.plus(toRate.eq(ONE) ? inBase : inBase.dividedBy(toRate));
  }

  private rate(currency: string): Decimal | undefined {
    return currency === this.base ? ONE : this.toBase.get(currency);
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
