import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How long after a full collection the memory outside the JS heap is read: V8 frees what the collection released from threads of its own. */
const OFF_HEAP_SETTLE_MS = 1_000;

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
  private offHeapRead?: NodeJS.Timeout;
  private readonly fullCollections = new PerformanceObserver((list) => {
    if (!list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) return;
    const spaces = getHeapSpaceStatistics().map((space) => ({ part: `js_heap_${space.space_name}`, used: space.space_used_size }));
    clearTimeout(this.offHeapRead);
    this.offHeapRead = setTimeout(() => this.readAfterFullGc(spaces), OFF_HEAP_SETTLE_MS).unref();
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

  readonly keptAnswerBytes = new Counter({
    name: 'popledger_kept_answer_bytes_total',
    help: 'GraphQL answers of fields that keep their answers as bytes (KeptAnswerBytes): sent from kept bytes, or written and kept',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'popledger_rate_limited_total',
    help: 'Requests refused with 429 by the per-key rate limit, by key name (anonymous: no valid key, limited per client address)',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });

  /**
   * What the process keeps: the JS heap in use as a full collection has just emptied it of garbage, plus
   * the resident memory outside the JS heap (RSS less the heap reserved) a moment later. JS heap use read at
   * any other moment also counts garbage V8 has not collected yet (up to a multiple of the live heap), so a
   * growth measured between two such readings follows the collection schedule as much as what is kept. The
   * memory outside the heap that the collection freed (external memory of dead objects, pages of the heap
   * it gave up) is released by V8's own threads after the collection ends: read at its end it still counted
   * 10 MB more in 1 of 4 collections of a short soak, gone a second later (docs/operations.md, "Long
   * histories and the soak").
   */
  private readonly memoryAfterFullGc = new Gauge({
    name: 'popledger_memory_in_use_after_full_gc_bytes',
    help: 'JS heap used as the last full garbage collection ended, plus resident memory outside the JS heap read a second later (0 before the first)',
    registers: [this.registry],
  });

  /**
   * The same reading split by where the memory sits, so a growth can be placed: each V8 heap space's used
   * part (old, code, large objects…), `external` (buffers and other memory V8 objects hold outside the heap,
   * which the pg socket and COPY streams use), and the rest of RSS (the allocator's native memory, thread
   * stacks, the binary; RSS − heap reserved − external). The parts add up to the gauge above.
   */
  private readonly memoryAfterFullGcParts = new Gauge({
    name: 'popledger_memory_in_use_after_full_gc_part_bytes',
    help: 'popledger_memory_in_use_after_full_gc_bytes by part: each JS heap space used (js_heap_<space>), external, native_rest (RSS less the reserved heap and external)',
    labelNames: ['part'] as const,
    registers: [this.registry],
  });

  private readAfterFullGc(spaces: Array<{ part: string; used: number }>): void {
    const { rss, heapTotal, external } = process.memoryUsage();
    const parts = [...spaces, { part: 'external', used: external }, { part: 'native_rest', used: rss - heapTotal - external }];
    for (const { part, used } of parts) this.memoryAfterFullGcParts.set({ part }, used);
    this.memoryAfterFullGc.set(parts.reduce((sum, { used }) => sum + used, 0));
  }

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
    clearTimeout(this.offHeapRead);
  }

  /** The projection engine registers how to read its status. */
  setProjectionSource(source: () => Promise<ProjectionLagReading[]>): void {
    this.projectionSource = source;
  }
}
