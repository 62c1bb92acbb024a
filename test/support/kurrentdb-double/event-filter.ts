import type { EventRecord } from './transaction-log';

/** Server-side event filters of $all reads and subscriptions (src/EventStore.Core/Services/Storage/ReaderIndex/EventFilter.cs). */
export interface EventFilter {
  allows(record: EventRecord): boolean;
}

/**
 * DefaultAllFilterStrategy: the first matching rule wins. Non-system streams pass; the epoch stream and
 * the checkpoints and parked messages of persistent subscriptions to $all never show in $all;
 * other system streams do.
 */
export const DEFAULT_ALL_FILTER: EventFilter = {
  allows: ({ streamId }) => {
    if (!streamId.startsWith('$')) return true;
    if (streamId === '$epoch-information') return false;
    const persistentAll = '$persistentsubscription-$all::';
    return !(streamId.startsWith(persistentAll) && (streamId.endsWith('-checkpoint') || streamId.endsWith('-parked')));
  },
};

export type FilterTarget = 'streamName' | 'eventType';

/**
 * EventFilter.StreamName/EventType.Regex and .Prefixes with isAllStream = true (Streams.Read.cs,
 * ConvertToEventFilter): the default $all filter applies first. A regex matches anywhere (Regex.Match).
 */
export function expressionFilter(target: FilterTarget, expression: { regex: string } | { prefixes: readonly string[] }): EventFilter {
  const field = (record: EventRecord) => (target === 'streamName' ? record.streamId : record.type);
  let matches: (value: string) => boolean;
  if ('regex' in expression) {
    const pattern = new RegExp(expression.regex);
    matches = (value) => pattern.test(value);
  } else {
    matches = (value) => expression.prefixes.some((prefix) => value.startsWith(prefix));
  }
  return { allows: (record) => DEFAULT_ALL_FILTER.allows(record) && matches(field(record)) };
}
