import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/outbound';

/** One POST as the receiver saw it. */
export interface Delivery {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; occurredAt: string; popId: string; data: Record<string, any> };
  /** The X-Signature checked against the path's secret, over the raw bytes. */
  signatureValid: boolean;
  /** What the receiver answered (or 'hang', 'reset'). */
  answered: number | 'hang' | 'reset' | 'huge';
  at: number;
}

/** How a path answers the n-th POST it gets (0-based): a status, hang until closed, reset the connection, or a redirect. */
export type Behaviour = (n: number, body: Delivery['body']) => number | 'hang' | 'reset' | 'huge' | { redirect: string } | { status: number; delayMs: number };

/**
 * A local webhook receiver: each path is a subscription's endpoint with its own secret and behaviour.
 * Records every POST; waits are event-driven (resolved on arrival), with generous deadlines.
 */
export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private readonly paths = new Map<string, { secret: string; behaviour: Behaviour; count: number }>();
  private readonly waiters = new Set<() => void>();
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  url = '';

  private constructor(private readonly keep: boolean) {}

  /** `keep: false` (the bench): deliveries are checked and answered but not kept, so a long load does not grow the heap. */
  static async start(options: { keep?: boolean } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(options.keep ?? true);
    await receiver.listen(0);
    return receiver;
  }

  /** Listens (again, after `close`) on `port` (0: any). */
  async listen(port: number): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  endpoint(path: string, secret: string, behaviour: Behaviour = () => 200): string {
    this.paths.set(path, { secret, behaviour, count: 0 });
    return `${this.url}${path}`;
  }

  setBehaviour(path: string, behaviour: Behaviour): void {
    const entry = this.paths.get(path);
    if (entry) entry.behaviour = behaviour;
  }

  at(path: string): Delivery[] {
    return this.deliveries.filter((delivery) => delivery.path === path);
  }

  /** Resolves once `predicate` holds over the deliveries (checked on each arrival); rejects after `timeoutMs`. */
  waitFor(predicate: (deliveries: Delivery[]) => boolean, timeoutMs = 120_000, what = 'deliveries'): Promise<void> {
    if (predicate(this.deliveries)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.deliveries)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${this.deliveries.length}: ${this.deliveries.map((d) => `${d.path} ${d.body.type} ${d.answered}`).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '/').split('?')[0];
      const entry = this.paths.get(path);
      let body: Delivery['body'];
      try {
        body = JSON.parse(raw) as Delivery['body'];
      } catch {
        body = { id: '', type: 'NOT_JSON', occurredAt: '', popId: '', data: {} };
      }
      const outcome = entry ? entry.behaviour(entry.count++, body) : 404;
      const delivery: Delivery = {
        path,
        headers: request.headers,
        raw,
        body,
        signatureValid: entry !== undefined && verifyWebhookSignature(entry.secret, raw, request.headers['x-signature'] as string | undefined),
        answered: typeof outcome === 'object' ? ('redirect' in outcome ? 302 : outcome.status) : outcome,
        at: Date.now(),
      };
      if (this.keep) this.deliveries.push(delivery);
      if (outcome === 'hang') this.hanging.add(response);
      else if (outcome === 'reset') request.socket.destroy();
      else if (outcome === 'huge') {
        // 200 with a body far larger than anyone should read: 64 MB, written as long as the client takes it.
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 120);
        let left = 1024;
        const pump = () => {
          while (left > 0) {
            left--;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => undefined);
        pump();
      }
      else if (typeof outcome === 'object' && 'redirect' in outcome) response.writeHead(302, { location: outcome.redirect }).end();
      else if (typeof outcome === 'object') {
        setTimeout(() => response.writeHead(outcome.status).end(), outcome.delayMs);
        response.on('error', () => undefined);
      }
      else response.writeHead(outcome, { 'content-type': 'text/plain' }).end(outcome >= 200 && outcome < 300 ? 'ok' : 'no');
      for (const waiter of [...this.waiters]) waiter();
    });
  }
}

/** The events a path received, first delivery of each id, in arrival order. */
export function distinctIds(deliveries: Delivery[]): string[] {
  return [...new Set(deliveries.map((delivery) => delivery.body.id))];
}
