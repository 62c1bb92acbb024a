import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { LOGGER } from '../../platform/observability/logger.util';
import { LeaderTask } from '../../platform/projections/projection.engine';
import { isExhausted, retryDelayMs } from '../domain/delivery-backoff.math';
import { webhookSignature } from '../domain/webhook-signature.rules';
import { OutboundSignals } from '../outbound-signals.service';
import { OutboundMetrics } from './outbound-metrics.service';
import {
  DeliveryItem,
  listSubscriptionIds,
  NATS_PUBLISHER,
  pruneOutbox,
  readStep,
  recordDeadLetter,
  recordDelivered,
  recordRetry,
  skipUnwanted,
  SubscriptionHead,
} from './outbox-consumers.sql';
import { postWebhook } from './webhook-post.util';

/** Events read per step of a subscription (delivered one after the other, in order). */
const BATCH = 50;
/**
 * Steps of one worker are at least this far apart unless a full batch waits: under load, the events of
 * several commits go in one step (two statements) instead of one step per commit.
 */
const MIN_STEP_MS = 20;
/** Safety net: idle workers look again this often (new events and subscription changes usually wake them at once). */
const POLL_MS = 1_000;
const PRUNE_EVERY_MS = 30_000;
const PRUNE_BATCH = 10_000;

/**
 * Delivers the outbox to the webhook subscriptions (docs/outbound-events.md), in the instance that leads
 * the projections. Each subscription has its own worker, so one that fails never holds back another; a
 * worker delivers its events one at a time in outbox order, retries the one at its head with exponential
 * back-off, and dead-letters it after OUTBOX_MAX_ATTEMPTS attempts. At least once: the cursor moves only
 * after the answer, so a crash in between delivers again (same id).
 */
@Injectable()
export class WebhookDeliveryService implements LeaderTask {
  private readonly workers = new Map<string, SubscriptionWorker>();
  private running = false;
  private timer?: NodeJS.Timeout;
  private lastPrune = 0;
  private refreshing?: Promise<void>;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: OutboundMetrics,
    private readonly signals: OutboundSignals,
  ) {}

  /** New events in the outbox (a projection batch committed here). */
  eventsRecorded(): void {
    for (const worker of this.workers.values()) worker.wake('events');
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe.push(this.signals.subscribe(() => void this.refresh(true)));
    const tick = () => {
      void this.refresh(false).finally(() => {
        if (this.running) this.timer = setTimeout(tick, POLL_MS);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe.splice(0).forEach((off) => off());
    await this.refreshing?.catch(() => undefined);
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.stop()));
  }

  /** Starts workers for new subscriptions, stops those of deleted ones, nudges the idle ones; prunes now and then. */
  private refresh(changed: boolean): Promise<void> {
    const run = async () => {
      if (!this.running) return;
      try {
        const ids = new Set(await listSubscriptionIds(this.sql));
        if (!this.running) return;
        for (const [id, worker] of this.workers) {
          if (!ids.has(id)) {
            this.workers.delete(id);
            void worker.stop();
          }
        }
        for (const id of ids) {
          let worker = this.workers.get(id);
          if (!worker) {
            worker = new SubscriptionWorker(id, this.sql, this.config, this.logger, this.metrics);
            this.workers.set(id, worker);
            worker.start();
          }
          worker.wake(changed ? 'changed' : 'events');
        }
        if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
          this.lastPrune = Date.now();
          await pruneOutbox(this.sql, this.config.NATS_URL ? NATS_PUBLISHER : null, PRUNE_BATCH);
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'outbound: reading the webhook subscriptions failed');
      }
    };
    const previous = this.refreshing ?? Promise.resolve();
    const next = previous.then(run, run);
    this.refreshing = next;
    return next;
  }
}

type Wake = 'events' | 'changed';

/** One subscription's delivery loop. */
class SubscriptionWorker {
  private stopped = false;
  private loop?: Promise<void>;
  /** Cuts a POST in flight short when the worker stops (the event is delivered again by the next leader). */
  private readonly aborter = new AbortController();
  /** Wakes that came while the worker was busy: its next wait returns at once. */
  private pending: Wake | null = null;
  private waiting?: { wakeOn: readonly Wake[]; resolve: () => void; timer?: NodeJS.Timeout };
  private stopping?: () => void;

  constructor(
    private readonly id: string,
    private readonly sql: SqlClient,
    private readonly config: AppConfig,
    private readonly logger: Logger,
    private readonly metrics: OutboundMetrics,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  wake(kind: Wake): void {
    if (this.waiting?.wakeOn.includes(kind)) this.waiting.resolve();
    else if (!this.waiting) this.pending = this.pending === 'changed' ? 'changed' : kind;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.aborter.abort();
    this.waiting?.resolve();
    this.stopping?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      let wait: { ms: number; wakeOn: readonly Wake[] };
      try {
        wait = await this.step();
      } catch (error) {
        this.logger.warn({ err: error, subscription: this.id }, 'outbound: a webhook delivery step failed');
        wait = { ms: POLL_MS, wakeOn: ['changed'] };
      }
      if (wait.ms > 0 && !this.stopped) await this.sleep(wait.ms, wait.wakeOn);
      const rest = started + MIN_STEP_MS - Date.now();
      if (wait.ms !== 0 && rest > 0 && !this.stopped) await this.pause(rest);
    }
  }

  /** Waits `ms` whatever comes (but a stop); wakes meanwhile stay pending. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopping = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopping = done;
    });
  }

  /** Sleeps `ms` (Infinity: until woken), or less when woken by one of `wakeOn` (or was already). */
  private sleep(ms: number, wakeOn: readonly Wake[]): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    if (pending !== null && wakeOn.includes(pending)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.waiting?.timer);
        this.waiting = undefined;
        resolve();
      };
      this.waiting = { wakeOn, resolve: done, timer: ms === Infinity ? undefined : setTimeout(done, ms) };
    });
  }

  /** One step: deliver what is due, in order, until a failure; answers how long to wait before the next. */
  private async step(): Promise<{ ms: number; wakeOn: readonly Wake[] }> {
    const next = await readStep(this.sql, this.id, BATCH);
    if (!next) {
      this.stopped = true;
      return { ms: 0, wakeOn: [] };
    }
    const { head, items, skipTo } = next;
    const now = Date.now();
    // Backing off: only a change of the subscription (redeliver, delete) cuts the wait short.
    if (head.nextAttemptAt !== null && head.nextAttemptAt > now) return { ms: head.nextAttemptAt - now, wakeOn: ['changed'] };
    if (items.length === 0) {
      if (skipTo !== null) await skipUnwanted(this.sql, this.id, skipTo);
      return { ms: Infinity, wakeOn: ['events', 'changed'] };
    }
    const delivered: DeliveryItem[] = [];
    for (const item of items) {
      if (this.stopped) break;
      const outcome = await this.post(head, item);
      if (outcome.ok) {
        delivered.push(item);
        this.metrics.delivered.inc({ sink: 'webhook', subscription: this.id });
        this.metrics.latency.observe({ sink: 'webhook', subscription: this.id }, Math.max(0, Date.now() - Date.parse(item.recordedAt)) / 1000);
        continue;
      }
      await recordDelivered(this.sql, this.id, delivered);
      // Stopping: not a failure of the receiver; whoever leads next delivers it.
      if (this.stopped) return { ms: 0, wakeOn: [] };
      // Earlier failures count only while the same event stays at the head.
      return this.failed(item, delivered.length === 0 ? head.attempts + 1 : 1, outcome.error ?? 'failed');
    }
    await recordDelivered(this.sql, this.id, delivered);
    // A full batch: more are waiting. Else the wakes that came meanwhile (pending) say whether to go on.
    return items.length === BATCH ? { ms: 0, wakeOn: [] } : { ms: Infinity, wakeOn: ['events', 'changed'] };
  }

  private post(head: SubscriptionHead, item: DeliveryItem) {
    return postWebhook(
      head.url,
      item.body,
      { 'x-popledger-event': item.type, 'x-popledger-delivery': item.eventId, 'x-signature': webhookSignature(head.secret, item.body) },
      this.config.OUTBOX_DELIVERY_TIMEOUT_MS,
      this.aborter.signal,
    );
  }

  /** The event at the head failed for the `attempts`-th time. */
  private async failed(item: DeliveryItem, attempts: number, error: string): Promise<{ ms: number; wakeOn: readonly Wake[] }> {
    this.metrics.failures.inc({ sink: 'webhook', subscription: this.id });
    const now = Date.now();
    if (isExhausted(attempts, this.config.OUTBOX_MAX_ATTEMPTS)) {
      await recordDeadLetter(this.sql, this.id, item, attempts, error, now);
      this.metrics.deadLettered.inc({ subscription: this.id });
      this.logger.warn({ subscription: this.id, eventId: item.eventId, attempts, error }, 'outbound: webhook delivery dead-lettered');
      return { ms: 0, wakeOn: [] };
    }
    const delay = retryDelayMs(this.config.OUTBOX_RETRY_BASE_MS, attempts);
    await recordRetry(this.sql, this.id, attempts, now + delay, error, now);
    return { ms: delay, wakeOn: ['changed'] };
  }
}
