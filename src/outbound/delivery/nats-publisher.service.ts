import { Inject, Injectable } from '@nestjs/common';
import { connect, DiscardPolicy, headers, JetStreamClient, nanos, NatsConnection, RetentionPolicy, StorageType } from 'nats';
import type { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { LOGGER } from '../../platform/observability/logger.util';
import { LeaderTask } from '../../platform/projections/projection.engine';
import { retryDelayMs } from '../domain/delivery-backoff.math';
import { OutboundMetrics } from './outbound-metrics.service';
import { advancePublisher, DeliveryItem, NATS_PUBLISHER, readPublisherBatch } from './outbox-consumers.sql';

/** The JetStream stream the events go to, created when missing (docs/outbound-events.md, "NATS JetStream"). */
export const NATS_STREAM = {
  name: 'POPLEDGER',
  subjects: ['popledger.>'],
  maxAgeMs: 7 * 24 * 3_600_000,
  duplicateWindowMs: 10 * 60_000,
} as const;

/** `popledger.<type>.<popId>`. */
export function natsSubject(type: string, popId: string): string {
  return `popledger.${type}.${popId}`;
}

const BATCH = 256;
const IDLE_POLL_MS = 1_000;
const MAX_PAUSE_MS = 30_000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * Publishes the outbox to NATS JetStream when NATS_URL is set, in the instance that leads the
 * projections: every event, in outbox order, on `popledger.<type>.<popId>` with `Nats-Msg-Id` = its id.
 * The cursor moves only after JetStream's acks; what is published again after a crash or a failed batch
 * is dropped by the stream's duplicate window.
 */
@Injectable()
export class NatsPublisherService implements LeaderTask {
  private running = false;
  private loop?: Promise<void>;
  private connection?: NatsConnection;
  private js?: JetStreamClient;
  private wakeUp?: () => void;
  private poked = false;
  private failures = 0;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: OutboundMetrics,
  ) {}

  get enabled(): boolean {
    return this.config.NATS_URL !== undefined;
  }

  eventsRecorded(): void {
    this.poked = true;
    this.wakeUp?.();
  }

  start(): void {
    if (!this.enabled || this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    const connection = this.connection;
    this.connection = undefined;
    this.js = undefined;
    await connection?.drain().catch(() => connection.close());
  }

  private async run(): Promise<void> {
    while (this.running) {
      let pause: number;
      try {
        pause = (await this.publishBatch()) ? 0 : IDLE_POLL_MS;
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.metrics.failures.inc({ sink: 'nats', subscription: NATS_PUBLISHER });
        pause = Math.min(retryDelayMs(this.config.OUTBOX_RETRY_BASE_MS, this.failures), MAX_PAUSE_MS);
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.logger.warn({ err: error, failures: this.failures, retryInMs: pause }, 'outbound: publishing to NATS failed, retrying');
        }
        if (this.connection?.isClosed()) {
          this.connection = undefined;
          this.js = undefined;
        }
      }
      if (pause > 0 && this.running) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.poked = false;
        done();
      };
    });
  }

  /** Publishes the next batch; false when there was nothing to publish. */
  private async publishBatch(): Promise<boolean> {
    this.poked = false;
    const items = await readPublisherBatch(this.sql, NATS_PUBLISHER, BATCH);
    if (items.length === 0) return false;
    const js = await this.jetStream();
    // Pipelined: JetStream stores one connection's publishes in the order sent.
    const results = await Promise.allSettled(items.map((item) => this.publish(js, item)));
    let done = 0;
    while (done < results.length && results[done].status === 'fulfilled') done++;
    if (done > 0) {
      await advancePublisher(this.sql, NATS_PUBLISHER, items[done - 1].seq);
      const now = Date.now();
      for (const item of items.slice(0, done)) {
        this.metrics.delivered.inc({ sink: 'nats', subscription: NATS_PUBLISHER });
        this.metrics.latency.observe({ sink: 'nats', subscription: NATS_PUBLISHER }, Math.max(0, now - Date.parse(item.recordedAt)) / 1000);
      }
    }
    if (done < results.length) throw (results[done] as PromiseRejectedResult).reason;
    return true;
  }

  private async publish(js: JetStreamClient, item: DeliveryItem): Promise<void> {
    const popId = (JSON.parse(item.body) as { popId: string }).popId;
    const h = headers();
    h.set('X-PopLedger-Event', item.type);
    await js.publish(natsSubject(item.type, popId), Buffer.from(item.body), { msgID: item.eventId, headers: h, timeout: ACK_TIMEOUT_MS });
  }

  private async jetStream(): Promise<JetStreamClient> {
    if (this.js && this.connection && !this.connection.isClosed()) return this.js;
    const connection = await connect({
      servers: (this.config.NATS_URL as string).split(','),
      name: 'pop-ledger',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      timeout: 5_000,
    });
    try {
      await ensureStream(connection);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    this.connection = connection;
    this.js = connection.jetstream();
    this.logger.info({ stream: NATS_STREAM.name }, 'outbound: publishing to NATS JetStream');
    return this.js;
  }
}

/** Creates the stream when missing; one that exists is used as it is. */
export async function ensureStream(connection: NatsConnection): Promise<void> {
  const jsm = await connection.jetstreamManager();
  try {
    await jsm.streams.info(NATS_STREAM.name);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add({
      name: NATS_STREAM.name,
      subjects: [...NATS_STREAM.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(NATS_STREAM.maxAgeMs),
      duplicate_window: nanos(NATS_STREAM.duplicateWindowMs),
    });
  } catch (error) {
    // Another instance created it meanwhile.
    if (!/already in use|already exists/i.test((error as Error).message)) throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number; code?: number } }).api_error;
  return apiError?.err_code === 10059 || apiError?.code === 404 || /stream not found/i.test((error as Error).message ?? '');
}
