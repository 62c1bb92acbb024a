import type { ServerResponse } from 'node:http';
import type { onRequestHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { apiHelmetOptions, type HelmetRouteConfig } from './security-headers.config';

/** A header write of helmet's: set to `value`, or removed when it is undefined. */
type HeaderWrite = readonly [name: string, value: string | number | readonly string[] | undefined];

/**
 * What helmet's middleware of `options` does to an answer's headers, in its order, recorded once: every value
 * is fixed (no directive is a function of the request, no nonces), so the same writes hold for any request.
 */
function recordedHelmetWrites(options: HelmetOptions): HeaderWrite[] {
  const writes: HeaderWrite[] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => writes.push([name, value]),
    removeHeader: (name: string) => writes.push([name, undefined]),
  };
  let failure: unknown;
  helmet(options)({} as never, response as never, (error?: unknown) => (failure = error));
  if (failure !== undefined) throw failure;
  return writes;
}

/**
 * An `onRequest` hook: helmet's headers on every answer, of `apiHelmetOptions` overridden by the route's own
 * (`config.helmet`, webPageRouteHeaders), as @fastify/helmet sets them, written in helmet's order from what
 * helmet's middleware was recorded doing once per policy. @fastify/helmet ran helmet's middleware chain per
 * request and gave each reply a new closure (its `reply.helmet`), and both kept every request's objects alive
 * through the young collections (docs/operations.md, "The capacity query's read path").
 */
export function securityHeadersHook(): onRequestHookHandler {
  const apiWrites = recordedHelmetWrites(apiHelmetOptions);
  const routeWrites = new WeakMap<HelmetOptions, HeaderWrite[]>();
  return (request, reply, done) => {
    const own = (request.routeOptions.config as HelmetRouteConfig).helmet;
    let writes = own ? routeWrites.get(own) : apiWrites;
    if (!writes) {
      writes = recordedHelmetWrites({ ...apiHelmetOptions, ...own } as HelmetOptions);
      routeWrites.set(own as HelmetOptions, writes);
    }
    applyWrites(reply.raw, writes);
    done();
  };
}

function applyWrites(response: ServerResponse, writes: readonly HeaderWrite[]): void {
  for (const [name, value] of writes) {
    if (value === undefined) response.removeHeader(name);
    else response.setHeader(name, value);
  }
}
