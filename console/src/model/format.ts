// Numbers with their units and instants labelled UTC: how every view shows a figure.

const grouped = (digits: number, least = 0) => new Intl.NumberFormat('en-GB', { minimumFractionDigits: least, maximumFractionDigits: digits });

/** `1234.5, 'kW'` -> `1,234.5 kW`; null or undefined -> `–`. */
export function quantity(value: number | null | undefined, unit: string, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${grouped(digits).format(value)} ${unit}`;
}

export const percent = (value: number | null | undefined, digits = 1): string => quantity(value, '%', digits);

/** Megabits per second as the largest unit that keeps the number at least 1 (Mbps, Gbps, Tbps). */
export function bandwidth(mbps: number | null | undefined): string {
  if (mbps === null || mbps === undefined) return '–';
  if (Math.abs(mbps) >= 1_000_000) return quantity(mbps / 1_000_000, 'Tbps', 2);
  if (Math.abs(mbps) >= 1_000) return quantity(mbps / 1_000, 'Gbps', 2);
  return quantity(mbps, 'Mbps', 0);
}

export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Amounts per currency, e.g. `12,000.00 EUR + 300.00 USD`; none -> `–`. Decimal strings keep their exact value. */
export function money(values: readonly MoneyValue[] | MoneyValue | null | undefined): string {
  const list = values === null || values === undefined ? [] : Array.isArray(values) ? values : [values as MoneyValue];
  if (list.length === 0) return '–';
  return list.map((value) => `${grouped(2, 2).format(Number(value.amount))} ${value.currency}`).join(' + ');
}

/** `2026-12-06T14:51:37.000Z` -> `2026-12-06 14:51 UTC`. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '–';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A calendar date (YYYY-MM-DD), labelled as a UTC day. */
export function day(date: string | null | undefined): string {
  return date ? `${date.slice(0, 10)} (UTC)` : '–';
}
