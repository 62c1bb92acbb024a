import type { AppendRequest, EventStore, NewEvent } from '../../src/platform/event-store/event-store.port';
import type { SeedStream } from '../../src/tools/seed/stream-builder.seed';

/** Streams interleaved at a time: as many PoPs as busy clients would work on at once. */
const WINDOW = 64;

/**
 * Generated streams as the service would have appended them command by command: one append per
 * command (its events), the commands of `WINDOW` streams at a time taken in turn, so the global log
 * interleaves streams in small appends like a production log, unlike a bulk seed (one append per stream).
 */
export function* commandAppends(streams: Iterable<SeedStream>): Generator<AppendRequest> {
  let window: Array<{ streamId: string; commands: NewEvent[][]; next: number; revision: number }> = [];
  const drain = function* () {
    while (window.length > 0) {
      for (const stream of window) {
        const events = stream.commands[stream.next++];
        yield { streamId: stream.streamId, events, expectedRevision: stream.revision < 0 ? 'no_stream' : stream.revision } satisfies AppendRequest;
        stream.revision += events.length;
      }
      window = window.filter((stream) => stream.next < stream.commands.length);
    }
  };
  for (const stream of streams) {
    if (stream.events.length === 0) continue;
    window.push({ streamId: stream.streamId, commands: byCommand(stream.events), next: 0, revision: -1 });
    if (window.length === WINDOW) yield* drain();
  }
  yield* drain();
}

/**
 * Writes the phases (each complete before the next, as the seed does) in command-sized appends, `group`
 * appends per write where the store takes several at once (appendMany), else one by one. Answers the
 * number of events and appends.
 */
export async function writeCommandShaped(store: EventStore, phases: Array<Iterable<SeedStream>>, group = 500): Promise<{ events: number; appends: number }> {
  let events = 0;
  let appends = 0;
  let pending: AppendRequest[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    if (store.appendMany) await store.appendMany(pending);
    else for (const append of pending) await store.append(append.streamId, append.events, append.expectedRevision);
    pending = [];
  };
  for (const phase of phases) {
    for (const append of commandAppends(phase)) {
      pending.push(append);
      events += append.events.length;
      appends += 1;
      if (pending.length >= group) await flush();
    }
    await flush();
  }
  return { events, appends };
}

/** A stream's events cut where the commandId changes: what each command appended. */
function byCommand(events: readonly NewEvent[]): NewEvent[][] {
  const commands: NewEvent[][] = [];
  for (const event of events) {
    const last = commands[commands.length - 1];
    if (last && last[0].metadata.commandId === event.metadata.commandId) last.push(event);
    else commands.push([event]);
  }
  return commands;
}
