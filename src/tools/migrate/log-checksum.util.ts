import { createHash, type Hash } from 'node:crypto';
import type { RecordedEvent } from '../../platform/event-store/event-store.port';

/**
 * JSON with the keys of every object sorted (by UTF-16 code units, as Array.prototype.sort does):
 * PostgreSQL's jsonb reorders keys and EventStoreDB keeps them as sent, so the same event reads back
 * with its keys in another order from each store. Arrays keep their order; numbers and strings are
 * spelled as JSON.stringify spells them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Built by appending, without the intermediate arrays of map/filter/join.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = sortedKeys(object);
  let text = '{';
  for (const key of keys) {
    const item = object[key];
    if (item !== undefined) text += (text.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return `${text}}`;
}

/** An object's own keys sorted as canonicalJson orders them (sorted only when they are not already). */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  for (let index = 1; index < keys.length; index++) if (keys[index - 1] > keys[index]) return keys.sort();
  return keys;
}

/** sortedCopy's answer for a value JSON.stringify would not spell as canonicalJson does. */
const UNORDERED = Symbol('unordered');

/**
 * `value` with the keys of every object in sorted order, as new plain objects, so that JSON.stringify
 * (native) spells it as canonicalJson does; UNORDERED for a key JSON.stringify would not keep in the
 * order given (an array index, which objects list first in numeric order: any key starting with a digit;
 * `__proto__`, which an assignment makes the prototype) or a value that is not JSON (a function, a symbol).
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return UNORDERED;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = sortedCopy(value[index]);
      if (item === UNORDERED) return UNORDERED;
      copy[index] = item;
    }
    return copy;
  }
  const object = value as Record<string, unknown>;
  const keys = sortedKeys(object);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') return UNORDERED;
    const item = sortedCopy(object[key]);
    if (item === UNORDERED) return UNORDERED;
    copy[key] = item;
  }
  return copy;
}

/** What the checksum covers of an event: everything a copy must preserve (not its position or recordedAt, which each store assigns). */
export function eventFingerprint(event: Pick<RecordedEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata'>): string {
  // One native JSON.stringify of sorted copies: about two thirds of the CPU of canonicalJson's concatenation,
  // which stays for data with keys it cannot order (same text either way).
  const [data, metadata] = [sortedCopy(event.data), sortedCopy(event.metadata)];
  if (data !== UNORDERED && metadata !== UNORDERED) {
    return JSON.stringify([event.eventId, event.streamId, event.revision, event.type, data, metadata]);
  }
  return `[${JSON.stringify(event.eventId)},${JSON.stringify(event.streamId)},${event.revision},${JSON.stringify(event.type)},${canonicalJson(event.data)},${canonicalJson(event.metadata)}]`;
}

/**
 * SHA-256 over a log in its order: one line per event, `[eventId, streamId, revision, type, data,
 * metadata]` with data and metadata as canonical JSON. Two stores holding the same events in the same
 * order give the same digest, whatever positions and append times each assigned.
 */
export class LogChecksum {
  private readonly hash: Hash = createHash('sha256');
  private events = 0;

  add(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      this.hash.update(eventFingerprint(event));
      this.hash.update('\n');
    }
    this.events += events.length;
  }

  get count(): number {
    return this.events;
  }

  /** The hex digest; the checksum takes no more events after it. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
