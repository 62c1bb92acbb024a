import type { FastifyRateLimitStore } from '@fastify/rate-limit';

/** Keys kept at most (API key names and, without a valid key, client addresses); the longest idle go first. */
const MAX_KEYS = 100_000;
/** How often keys with nothing in their window are dropped. */
const SWEEP_MS = 10_000;

/** The instants (ms) of the requests let through, oldest first: `times[start..]` is live. */
interface Log {
  times: number[];
  start: number;
}

/**
 * A sliding-window store for @fastify/rate-limit: a request passes when fewer than `max` requests of the
 * same key passed in the `timeWindow` ms before it. Unlike the plugin's fixed windows (which let up to
 * 2 × max through in a second that straddles two windows), no interval of `timeWindow` ms ever holds
 * more than `max` answered requests. Refused requests take no slot. In memory, per instance.
 */
export class SlidingWindowStore implements FastifyRateLimitStore {
  private readonly logs = new Map<string, Log>();
  private lastSweep = Date.now();

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void {
    const now = Date.now();
    if (now - this.lastSweep >= SWEEP_MS) this.sweep(now, timeWindow);
    let log = this.logs.get(key);
    if (log) {
      this.logs.delete(key); // re-inserted below: Map order is least recently used first
    } else {
      log = { times: [], start: 0 };
      if (this.logs.size >= MAX_KEYS) this.logs.delete(this.logs.keys().next().value as string);
    }
    this.logs.set(key, log);
    const { times } = log;
    while (log.start < times.length && times[log.start] <= now - timeWindow) log.start++;
    if (log.start > 64 && log.start * 2 > times.length) {
      times.splice(0, log.start);
      log.start = 0;
    }
    const inWindow = times.length - log.start;
    if (inWindow < max) {
      times.push(now);
      // ttl: when the oldest request of the window leaves it (x-ratelimit-reset).
      callback(null, { current: inWindow + 1, ttl: times[log.start] + timeWindow - now });
    } else {
      callback(null, { current: max + 1, ttl: Math.max(1, times[log.start] + timeWindow - now) });
    }
  }

  /** Route-specific limits would get a store of their own (none are configured). */
  child(): FastifyRateLimitStore {
    return new SlidingWindowStore();
  }

  private sweep(now: number, timeWindow: number): void {
    this.lastSweep = now;
    for (const [key, log] of this.logs) {
      if (log.times.length === 0 || log.times[log.times.length - 1] <= now - timeWindow) this.logs.delete(key);
    }
  }
}
