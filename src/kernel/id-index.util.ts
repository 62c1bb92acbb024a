/**
 * Records keyed by client-supplied id, as plain objects so that a state stays JSON. Ids may be
 * "__proto__" or "constructor" (they match the id syntax), so reads and writes use own properties
 * only and never touch the prototype.
 */
export type IdIndex<T> = Record<string, T>;

export function lookup<T>(index: IdIndex<T>, id: string): T | undefined {
  return Object.hasOwn(index, id) ? index[id] : undefined;
}

export function store<T>(index: IdIndex<T>, id: string, value: T): void {
  Object.defineProperty(index, id, { value, enumerable: true, writable: true, configurable: true });
}
