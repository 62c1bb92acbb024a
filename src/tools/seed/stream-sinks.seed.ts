import { appendSize, type EventStore, type ExpectedRevision, type NewEvent } from '../../platform/event-store/event-store.port';
import type { SeedStream } from './stream-builder.seed';

/** Where generated streams go: straight into the event store, or through the GraphQL command path. */
export interface StreamSink {
  write(streams: Iterable<SeedStream>, onStream: (stream: SeedStream) => void): Promise<void>;
}

/** Largest append (events per call): long streams go in several appends, each checking the revision. */
const MAX_EVENTS_PER_APPEND = 2_000;

/**
 * Appends each stream's events in as few calls as possible, several streams at a time: at most
 * MAX_EVENTS_PER_APPEND events and the store's maxAppendBytes (EventStoreDB: 1 MiB by default) per
 * append. Every stream must be new (`no_stream`): seeding into a store that already has the network
 * fails loudly.
 */
export class EventStoreSink implements StreamSink {
  constructor(
    private readonly store: EventStore,
    private readonly concurrency: number,
  ) {}

  write(streams: Iterable<SeedStream>, onStream: (stream: SeedStream) => void): Promise<void> {
    return inParallel(streams, this.concurrency, async (stream) => {
      let expected: ExpectedRevision = 'no_stream';
      for (const events of appendChunks(stream.events, MAX_EVENTS_PER_APPEND, this.store.maxAppendBytes)) {
        const result = await this.store.append(stream.streamId, events, expected);
        expected = result.revision;
      }
      onStream(stream);
    });
  }
}

/**
 * `events` in order, cut into runs of at most `maxEvents` events and `maxBytes` bytes (appendSize).
 * An event larger than `maxBytes` on its own goes alone: the store refuses it (AppendTooLargeError).
 */
export function* appendChunks(events: readonly NewEvent[], maxEvents: number, maxBytes = Number.POSITIVE_INFINITY): Generator<NewEvent[]> {
  let chunk: NewEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Number.isFinite(maxBytes) ? appendSize([event]) : 0;
    if (chunk.length > 0 && (chunk.length >= maxEvents || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

export type GraphqlSend = (query: string, variables: Record<string, unknown>) => Promise<{ errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;

/**
 * Sends every accepted command as its mutation (input = the command's data, effectiveAt and a
 * commandId), in order per stream. Each one was accepted by the same decider in memory, so any
 * error here means the service and the domain disagree: it stops the seed.
 */
export class GraphqlSink implements StreamSink {
  constructor(
    private readonly send: GraphqlSend,
    private readonly concurrency: number,
  ) {}

  write(streams: Iterable<SeedStream>, onStream: (stream: SeedStream) => void): Promise<void> {
    return inParallel(streams, this.concurrency, async (stream) => {
      for (const command of stream.commands) {
        const name = `${command.type[0].toLowerCase()}${command.type.slice(1)}`;
        const query = `mutation($input: ${command.type}Input!) { ${name}(input: $input) { revision } }`;
        const input = { ...command.data, effectiveAt: command.effectiveAt, commandId: command.commandId };
        const { errors } = await this.send(query, { input });
        if (errors?.length) {
          const detail = errors.map((e) => `${String(e.extensions?.code ?? '')} ${String(e.extensions?.rule ?? '')} ${e.message}`.trim()).join('; ');
          throw new Error(`${stream.streamId}: ${name} was refused by the service: ${detail}`);
        }
      }
      onStream(stream);
    });
  }
}

/** Runs `work` on the items of a (lazy) iterable, `concurrency` at a time; stops taking new items after a failure. */
export async function inParallel<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed) {
      const next = iterator.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
