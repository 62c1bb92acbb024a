/**
 * A deep copy of a plain JSON value (an aggregate's state), about twice as fast as structuredClone on
 * states made of many small objects and number arrays. Keys are copied as own data properties, also
 * "__proto__" (ids may be that, see id-index.util.ts), so the copy never touches a prototype.
 */
export function cloneJson<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out[i] = typeof item === 'object' && item !== null ? copy(item) : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const copied = typeof item === 'object' && item !== null ? copy(item) : item;
    if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  return out;
}
