import { AsyncResource } from 'node:async_hooks';

/**
 * Replaces `AsyncResource.prototype.bind` (and so the static `AsyncResource.bind`) with Node's own code less the
 * deprecated `asyncResource` accessor (DEP0172) it puts on every bound function. Node 20 builds that accessor from
 * two `deprecate()` wrappers whose prototype it sets to a new closure over the resource: each call makes a new map
 * in the old generation that points at that young closure, so the resource and everything it reaches outlive every
 * young collection and are promoted. Fastify binds its body parser's callback to a resource per request (the
 * resource is the request), and Nest binds its interceptors' calls, so every GraphQL request's objects went to
 * the old generation: about a fifth of what each young collection promoted under the capacity query, and the
 * accessor's wrappers were 5% of that query's CPU (docs/operations.md, "The capacity query's read path").
 * Nothing in this service reads the accessor. Drop this once Fastify no longer binds (fastify/fastify#7012) and
 * Nest's interceptors run on a Node without the accessor.
 */
export function useBindWithoutDeprecatedAccessor(): void {
  // A Node whose own bind adds no accessor keeps its own.
  if (!('asyncResource' in new AsyncResource('bind-probe').bind(() => undefined))) return;
  AsyncResource.prototype.bind = function bind(this: AsyncResource, fn: Callback, thisArg?: unknown) {
    return boundTo(this, fn, thisArg);
  } as AsyncResource['bind'];
}

type Callback = (...args: unknown[]) => unknown;

function boundTo(resource: AsyncResource, fn: Callback, thisArg: unknown): Callback {
  if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
  // As Node's: a function that passes its own `this` on, or Function#bind when a `thisArg` is given.
  const bound: Callback =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn, thisArg);
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
  return bound;
}
