import DecimalJs from 'decimal.js';
import { Money } from '../../kernel/money.types';

/**
 * Money arithmetic on exact decimals (docs/domain.md, "Cost formulas": never binary floats). Sums are exact; only a
 * currency conversion or a unit cost divides, at 50 significant digits, before the one final rounding.
 */
export const Decimal = DecimalJs.clone({ precision: 50, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);

/** Totals per currency, as the SQL aggregations and the conversions produce them. */
export type CurrencyTotals = Map<string, Decimal>;

/**
 * The amount as answers show it: rounded half-even to 4 decimals, trailing zeros trimmed down to at
 * least 2 decimals ("1250.50", "0.1235", "100.00").
 */
export function formatAmount(value: Decimal): string {
  const fixed = value.toFixed(4, DecimalJs.ROUND_HALF_EVEN);
  const trimmed = fixed.endsWith('00') ? 2 : fixed.endsWith('0') ? 1 : 0;
  return fixed.slice(0, fixed.length - trimmed);
}

export function money(amount: Decimal, currency: string): Money {
  return { amount: formatAmount(amount), currency };
}

/**
 * Adds `amount` (a decimal string from SQL) to the currency's total. Zero amounts are skipped, so a
 * currency whose total is zero never appears (amounts are never negative): a free item adds no cost,
 * and must neither make a PoP multi-currency nor demand an exchange rate.
 */
export function addTo(totals: CurrencyTotals, currency: string, amount: string | Decimal): void {
  const value = new Decimal(amount);
  if (value.isZero()) return;
  const total = totals.get(currency);
  totals.set(currency, total ? total.plus(value) : value);
}

/** Totals as a list sorted by currency code. */
export function moneyList(totals: CurrencyTotals): Money[] {
  return [...totals]
    .sort(([a], [b]) => compareCodes(a, b))
    .map(([currency, amount]) => money(amount, currency));
}

/** Plain code-point order (keys and currency codes), independent of any locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
