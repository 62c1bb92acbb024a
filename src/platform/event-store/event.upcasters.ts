import { RecordedEvent } from './event-store.port';

/**
 * Upcasting hook: when an event's shape changes, register a function that lifts the old
 * `schemaVersion` to the new one. Aggregates and projections read every event through `upcast`,
 * so stored events are never rewritten.
 */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** Current schema version of every event type (1 until a shape changes). */
export const CURRENT_SCHEMA_VERSION = 1;

const upcasters = new Map<string, Upcaster>();

/** Registers how `type` at `fromVersion` becomes `fromVersion + 1`. */
export function registerUpcaster(type: string, fromVersion: number, upcaster: Upcaster): void {
  upcasters.set(`${type}@${fromVersion}`, upcaster);
}

export function upcast(event: RecordedEvent): RecordedEvent {
  let version = event.metadata.schemaVersion ?? 1;
  let data = event.data;
  for (let next = upcasters.get(`${event.type}@${version}`); next; next = upcasters.get(`${event.type}@${version}`)) {
    data = next(data);
    version += 1;
  }
  return data === event.data ? event : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
}
