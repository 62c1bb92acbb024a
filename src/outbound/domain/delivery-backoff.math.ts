/** Longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Wait after the `failures`-th failed attempt (1-based): `baseMs`, doubling with each failure, at most 1 hour.
 */
export function retryDelayMs(baseMs: number, failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return exponent >= 32 ? MAX_RETRY_DELAY_MS : Math.min(baseMs * 2 ** exponent, MAX_RETRY_DELAY_MS);
}

/** After `failures` failed attempts, the delivery is dead-lettered once they reach `maxAttempts`. */
export function isExhausted(failures: number, maxAttempts: number): boolean {
  return failures >= maxAttempts;
}
