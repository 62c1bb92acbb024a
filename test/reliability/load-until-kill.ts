/**
 * Clients that keep sending requests to a service until it is killed, and what became of each
 * request: answered (status and parsed JSON body), answered badly (a 5xx or a body that is not JSON:
 * never acceptable), or unanswered (the connection broke). Only the requests in flight at the kill may
 * go unanswered: the clients stop sending before the kill, and `inFlightAtKill` counts those still out.
 */

export interface Answered<R> {
  request: R;
  status: number;
  body: unknown;
}

export interface LoadOutcome<R> {
  answered: Array<Answered<R>>;
  /** A 5xx or a body that is not JSON, with the request's label. */
  bad: string[];
  unanswered: R[];
  /** Requests sent and not yet answered when the kill came. */
  inFlightAtKill: number;
  sent: number;
  /** Milliseconds from the first request to the kill. */
  loadMs: number;
}

export interface LoadUntilKillOptions<R> {
  url: string;
  path: string;
  secret: string;
  clients: number;
  loadMs: number;
  /**
   * Keep the load on past `loadMs` until this many requests were answered (at most `maxLoadMs`), so a
   * slow, loaded machine still kills a service that has answered some requests and not others.
   */
  untilAnswered?: number;
  maxLoadMs?: number;
  /** The next request to send; `body` is its JSON text. */
  next(): R & { body: string };
  /** SIGKILL (called synchronously once the clients stopped sending). */
  kill(): Promise<void>;
}

export async function loadUntilKill<R>(options: LoadUntilKillOptions<R>): Promise<LoadOutcome<R>> {
  const outcome: LoadOutcome<R> = { answered: [], bad: [], unanswered: [], inFlightAtKill: 0, sent: 0, loadMs: 0 };
  const started = Date.now();
  let inFlight = 0;
  let stopped = false;
  const client = async () => {
    while (!stopped) {
      const request = options.next();
      inFlight += 1;
      outcome.sent += 1;
      let status: number;
      let text: string;
      try {
        const response = await fetch(`${options.url}${options.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.secret}` },
          body: request.body,
        });
        status = response.status;
        text = await response.text();
      } catch {
        outcome.unanswered.push(request); // the connection broke: the service died with the request in flight
        continue;
      } finally {
        inFlight -= 1;
      }
      if (status >= 500) {
        outcome.bad.push(`HTTP ${status}: ${text.slice(0, 200)}`);
        continue;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        outcome.bad.push(`HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
        continue;
      }
      outcome.answered.push({ request, status, body });
    }
  };
  const clients = Array.from({ length: options.clients }, client);
  await new Promise((resolve) => setTimeout(resolve, options.loadMs));
  const deadline = Date.now() + (options.maxLoadMs ?? options.loadMs) - options.loadMs;
  while (outcome.answered.length + outcome.bad.length < (options.untilAnswered ?? 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // No await between these three: no client sends or finishes a request in between.
  stopped = true;
  outcome.inFlightAtKill = inFlight;
  outcome.loadMs = Date.now() - started;
  const killed = options.kill();
  await killed;
  await Promise.all(clients);
  return outcome;
}
