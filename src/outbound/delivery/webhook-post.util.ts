import { Agent } from 'undici';

/** How much of an answer is read (then the connection is dropped): a receiver's body is never needed. */
const MAX_ANSWER_BYTES = 4096;

export interface PostOutcome {
  /** Any 2xx. */
  ok: boolean;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Why it failed, in one line (never the body). */
  error?: string;
}

/**
 * Kept-alive connections (at most 16 per receiver), one dispatcher per timeout (the service has one). undici
 * rather than node:http, and its own timeouts rather than a timer and an AbortController per POST: about 55
 * instead of 97 µs of CPU per POST (docs/outbound-events.md, "What a delivery costs"), which the leader spends on
 * every event of every subscription. It follows no redirects.
 */
const dispatchers = new Map<number, Agent>();

function dispatcherFor(timeoutMs: number): Agent {
  let dispatcher = dispatchers.get(timeoutMs);
  if (!dispatcher) {
    dispatcher = new Agent({ connections: 16, connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    dispatchers.set(timeoutMs, dispatcher);
  }
  return dispatcher;
}

/** undici's codes for a connection, a status line or a piece of the body that did not come in time. */
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * One webhook POST of `body` with `headers`. Each of connecting, the answer's status after the request is sent, and
 * every piece of its body must come within `timeoutMs`. Redirects are not followed (a 3xx is a failure like any
 * non-2xx); at most MAX_ANSWER_BYTES of the answer are read. `signal` (the worker's, long-lived) cuts it short. Never throws.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<PostOutcome> {
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`unsupported scheme ${target.protocol}`);
  } catch (error) {
    return { ok: false, error: `invalid URL: ${(error as Error).message}` };
  }
  let status: number;
  try {
    const answer = await dispatcherFor(timeoutMs).request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'PopLedger-Webhooks/1' },
      body,
      signal,
    });
    status = answer.statusCode;
    // Reads at most MAX_ANSWER_BYTES, then drops the connection. It never rejects: once the status came, it is
    // the outcome, and the rest of the answer (late, cut off, or cut short by `signal`) is not waited for.
    await answer.body.dump({ limit: MAX_ANSWER_BYTES });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    if (code !== undefined && TIMEOUTS.has(code)) return { ok: false, error: `no answer within ${timeoutMs} ms` };
    if (signal?.aborted) return { ok: false, error: 'aborted' };
    return { ok: false, error: (message || code || 'request failed').replace(/\s+/g, ' ').slice(0, 300) };
  }
  if (status >= 200 && status < 300) return { ok: true, status };
  return { ok: false, status, error: `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}` };
}
