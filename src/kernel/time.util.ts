import { InvalidInputError } from './domain.errors';

/**
 * Business time. Events carry ISO 8601 strings; the state keeps epoch milliseconds so that
 * comparisons on long timelines stay cheap. Dates (leases) are whole UTC days.
 */

export const DAY_MS = 86_400_000;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch milliseconds of an ISO 8601 instant; `field` names the input in the error. */
export function instantMs(value: string, field: string): number {
  const ms = INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new InvalidInputError(field, `${field} must be an ISO 8601 date-time, got "${value}"`);
  return ms;
}

/** Epoch milliseconds of 00:00Z on a YYYY-MM-DD date. */
export function dayStartMs(value: string, field: string): number {
  const ms = DATE.test(value) ? dayStart(value) : NaN;
  if (Number.isNaN(ms) || dateOf(ms) !== value) throw new InvalidInputError(field, `${field} must be a YYYY-MM-DD date, got "${value}"`);
  return ms;
}

/** 00:00Z of a date already validated (state and events). */
export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The last answers of `eventInstant` and `isoOf` (pure functions, so a kept answer is always right). */
let lastParsed = { text: '', ms: NaN };
let lastFormatted = { ms: NaN, text: '' };

/**
 * Epoch milliseconds of an event's `effectiveAt` (a stored or decided event: normalised, not validated again).
 * Deciding and applying one event parse the same string three times in a row (its effects checked, applied, its
 * record kept), so the last answer is kept.
 */
export function eventInstant(effectiveAt: string): number {
  if (effectiveAt !== lastParsed.text) lastParsed = { text: effectiveAt, ms: Date.parse(effectiveAt) };
  return lastParsed.ms;
}

/**
 * The normalised form events carry: milliseconds and Z. The last answer is kept: the records of an import often
 * share their instant, and formatting is dearer than parsing. An invalid `ms` (NaN) never matches, so it throws as before.
 */
export function isoOf(ms: number): string {
  if (ms !== lastFormatted.ms) lastFormatted = { ms, text: new Date(ms).toISOString() };
  return lastFormatted.text;
}

export function dateOf(ms: number): string {
  return isoOf(ms).slice(0, 10);
}
