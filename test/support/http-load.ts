/** HTTP load with autocannon: `connections` clients, each sending its next request when the last one answered (at most `overallRate`/s in all). */

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void;
}

type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    overallRate?: number;
    requests: Array<AutocannonRequest & { setupRequest(request: AutocannonRequest): AutocannonRequest; onResponse(status: number, body: string): void }>;
  },
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

// autocannon ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  /** Requests per second from all clients together (open loop); unset: as fast as answers come (closed loop). */
  overallRate?: number;
  /** The body of the next request (each request must be a distinct, valid command). */
  body(): string;
  /** Why an answer counts as a failure, or null for a success. */
  failure(status: number, body: string): string | null;
  /** What kind of request an answer is for (e.g. command or read), to report latencies per kind. */
  kind?(body: string): string;
}

export interface LoadResult {
  ok: number;
  failed: number;
  /** Failure reasons and how often each occurred (a few distinct ones). */
  failures: Record<string, number>;
  seconds: number;
  okPerSecond: number;
  latenciesMs: number[];
  /** Latencies by `kind` of answer (empty without `kind`). */
  latenciesByKindMs: Record<string, number[]>;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let ok = 0;
    let failed = 0;
    const failures: Record<string, number> = {};
    const latenciesMs: number[] = [];
    const latenciesByKindMs: Record<string, number[]> = {};
    // autocannon hands a request its body just before it emits the answer's 'response' event (httpClient.js).
    let lastKind: string | undefined;
    const fail = (reason: string) => {
      failed += 1;
      const key = reason.slice(0, 160);
      failures[key] = (failures[key] ?? 0) + 1;
    };
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        timeout: 30,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: options.path,
            headers: { 'content-type': 'application/json', ...options.headers },
            setupRequest: (request) => ({ ...request, body: options.body() }),
            onResponse: (status, body) => {
              lastKind = options.kind?.(body);
              const reason = options.failure(status, body);
              if (reason === null) ok += 1;
              else fail(reason);
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        for (let i = 0; i < result.errors; i++) fail('connection error or timeout');
        resolve({ ok, failed, failures, seconds: result.duration, okPerSecond: ok / result.duration, latenciesMs, latenciesByKindMs });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latenciesMs.push(responseTimeMs);
      if (lastKind !== undefined) (latenciesByKindMs[lastKind] ??= []).push(responseTimeMs);
      lastKind = undefined;
    });
  });
}

