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
  // Built by appending, without the intermediate arrays of map/filter/join: the checksum of a copy
  // spells every event of both logs this way, and most objects' keys come already sorted or nearly.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index++) text += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (let index = 1; index < keys.length; index++) {
    if (keys[index - 1] > keys[index]) {
      keys.sort();
      break;
    }
  }
  let text = '{';
  for (const key of keys) {
    const item = object[key];
    if (item !== undefined) text += (text.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return `${text}}`;
}

/** What the checksum covers of an event: everything a copy must preserve (not its position or recordedAt, which each store assigns). */
export function eventFingerprint(event: Pick<RecordedEvent, 'eventId' | 'streamId' | 'revision' | 'type' | 'data' | 'metadata'>): string {
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
