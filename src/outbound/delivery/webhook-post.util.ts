import * as http from 'node:http';
import * as https from 'node:https';

/** How much of an answer is read (then the connection is dropped): a receiver's body is never needed. */
export const MAX_ANSWER_BYTES = 4096;

export interface PostOutcome {
  /** Any 2xx. */
  ok: boolean;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Why it failed, in one line (never the body). */
  error?: string;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * One webhook POST: `body` with `headers`, within `timeoutMs` from the connection to the end of the answer.
 * Redirects are not followed (a 3xx is a failure like any non-2xx); at most MAX_ANSWER_BYTES of the answer
 * are read. Never throws.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<PostOutcome> {
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`unsupported scheme ${target.protocol}`);
  } catch (error) {
    return Promise.resolve({ ok: false, error: `invalid URL: ${(error as Error).message}` });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const payload = Buffer.from(body);
    let status: number | undefined;
    const answered = () =>
      finish(
        status !== undefined && status >= 200 && status < 300
          ? { ok: true, status }
          : { ok: false, status, error: `HTTP ${status}${status !== undefined && status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}` },
      );
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        agent: target.protocol === 'https:' ? agents['https:'] : agents['http:'],
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'PopLedger-Webhooks/1' },
      },
      (response) => {
        status = response.statusCode ?? 0;
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_ANSWER_BYTES) {
            response.destroy();
            answered();
          }
        });
        response.once('end', answered);
        response.once('close', answered);
        response.once('error', answered);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      // An answer whose status came in time counts; its body is not waited for.
      if (status !== undefined) answered();
      else finish({ ok: false, error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    const abort = () => {
      request.destroy();
      finish({ ok: false, error: 'aborted' });
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
    request.once('close', () => signal?.removeEventListener('abort', abort));
    request.once('error', (error) => {
      if (status !== undefined) answered();
      else finish({ ok: false, error: oneLine(error.message || (error as NodeJS.ErrnoException).code || 'request failed') });
    });
    request.end(payload);
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
