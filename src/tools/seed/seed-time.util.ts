/** The seeded period and time helpers (epoch milliseconds; events carry ISO strings). */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

export interface SeedPeriod {
  startMs: number;
  /** "Now" of the seeded network: most facts lie before it, a few planned ones after it. */
  endMs: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const seedDateOf = (ms: number): string => iso(ms).slice(0, 10);
export const dayStartOf = (ms: number): number => Math.floor(ms / DAY) * DAY;
