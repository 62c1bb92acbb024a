import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { WebhookReceiver } from '../test/outbound/webhook-receiver';

/** Arrivals of one flush: event id and arrival time (ms since the epoch, sub-millisecond, comparable across threads). */
type Arrivals = Array<[id: string, at: number]>;

const FLUSH_MS = 5;

/**
 * The bench's webhook receiver in a worker thread of its own. In the load generator's thread, its HTTP parsing,
 * signature checks and JSON parsing of about one delivery per command slowed the load generator itself, so the
 * command rate "with a subscription" fell by what the bench's own receiver cost, not only by what delivering costs
 * the service. A downstream system is not the load generator; on this machine it still shares the cores.
 * Arrival times are taken in the worker when a POST is read and sent to this thread every few milliseconds.
 */
export class WebhookReceiverThread {
  /** First arrival of each event id, in ms since the epoch. */
  readonly arrivals = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly worker: Worker, readonly url: string) {
    worker.on('message', (batch: Arrivals) => {
      for (const [id, at] of batch) if (!this.arrivals.has(id)) this.arrivals.set(id, at);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Starts the worker; every POST to `<url>/<path>` signed with `secret` is answered 204 and reported. */
  static async start(path: string, secret: string): Promise<WebhookReceiverThread> {
    const worker = new Worker(__filename, { workerData: { path, secret } });
    const url = await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    return new WebhookReceiverThread(worker, url);
  }

  /** Resolves once `id` has arrived; rejects after `timeoutMs`. */
  waitFor(id: string, timeoutMs: number): Promise<void> {
    if (this.arrivals.has(id)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.arrivals.has(id)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for the delivery of ${id}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

async function runReceiver({ path, secret }: { path: string; secret: string }): Promise<void> {
  const port = parentPort!;
  const receiver = await WebhookReceiver.start({ keep: false });
  const pending: Arrivals = [];
  const url = receiver.endpoint(path, secret, (_, body) => {
    if (pending.length === 0) setTimeout(() => port.postMessage(pending.splice(0)), FLUSH_MS);
    pending.push([body.id, performance.timeOrigin + performance.now()]);
    return 204;
  });
  port.postMessage(url);
}

if (!isMainThread && workerData?.secret !== undefined) void runReceiver(workerData);
