import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProjectionLagReading {
  name: string;
  lagEvents: number;
  failed: boolean;
}

/** Prometheus metrics of the service (GET /metrics): appends, command latency, projection lag, key use and rate-limit refusals. */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();
  private projectionSource?: () => Promise<ProjectionLagReading[]>;
  private readonly fullCollections = new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
      const { rss, heapTotal, heapUsed } = process.memoryUsage();
      this.memoryAfterFullGc.set(rss - (heapTotal - heapUsed));
    }
  });

  readonly eventsAppended = new Counter({
    name: 'popledger_events_appended_total',
    help: 'Events appended to the event store, by stream category',
    labelNames: ['category'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'popledger_command_duration_seconds',
    help: 'Command handling time from decision to answer, by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly apiKeyRequests = new Counter({
    name: 'popledger_api_key_requests_total',
    help: 'Requests authenticated with an API key, by key name',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'popledger_rate_limited_total',
    help: 'Requests refused with 429 by the per-key rate limit, by key name (anonymous: no valid key, limited per client address)',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });

  /**
   * What the process keeps, read when a full collection has just emptied the JS heap of garbage: RSS less
   * the heap's free part. RSS or heap use read at any other moment also counts garbage V8 has not collected
   * yet (up to a multiple of the live heap), so a growth measured between two such readings follows the
   * collection schedule as much as what is kept (docs/operations.md, "Long histories and the soak").
   */
  private readonly memoryAfterFullGc = new Gauge({
    name: 'popledger_memory_in_use_after_full_gc_bytes',
    help: 'Resident memory less the free part of the JS heap, read right after the last full garbage collection (0 before the first)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'popledger_' });
    this.memoryAfterFullGc.set(0);
    this.fullCollections.observe({ entryTypes: ['gc'] });
    const readings = () => this.projectionSource?.() ?? Promise.resolve([]);
    new Gauge({
      name: 'popledger_projection_lag_events',
      help:
        'Events of the global log a projection has not processed yet; with EVENT_STORE=esdb counted within one read of 1,000 events of $all, so a larger lag reads as at most 1,000',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const r of await readings()) this.set({ projection: r.name }, r.lagEvents);
      },
    });
    new Gauge({
      name: 'popledger_projection_failed',
      help: '1 when a projection stopped on an event it could not process',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const r of await readings()) this.set({ projection: r.name }, r.failed ? 1 : 0);
      },
    });
  }

  onModuleDestroy(): void {
    this.fullCollections.disconnect();
  }

  /** The projection engine registers how to read its status. */
  setProjectionSource(source: () => Promise<ProjectionLagReading[]>): void {
    this.projectionSource = source;
  }
}
