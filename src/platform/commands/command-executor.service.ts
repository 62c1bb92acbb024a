import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { AppendResult, EVENT_STORE, EventStore, NewEvent, RecordedEvent, StreamNotFoundError, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { CURRENT_SCHEMA_VERSION, upcast } from '../event-store/event.upcasters';
import { Decider, DomainEvent } from '../../kernel/decider.types';
import { cloneJson } from '../../kernel/json-clone.util';
import { MetricsService } from '../observability/metrics.service';
import { inSpan, inSpanSync, SPAN_ATTRIBUTES, traceparentOf } from '../observability/tracing.util';
import { CommandEnvelope } from './command-envelope.types';
import { CommandResult, PlannedEvent } from './command-result.types';
import { PROJECTION_WAITER, ProjectionWaiter } from './projection-waiter.port';
import { AcceptedCommand, AcceptedCommands } from './accepted-commands.util';
import { mapBounded } from './map-bounded.util';
import { StreamCache } from './stream-cache.util';
import { StreamLock } from './stream-lock.util';

/** What the executor needs of an event: its type, JSON data and effective time. */
export type DomainEventLike = DomainEvent<string, object>;

interface CachedStream<S> {
  state: S;
  /** Last revision applied to `state`; -1 for a stream with no events. */
  revision: number;
  commands: AcceptedCommands;
}

/** A stream's commands decided on its cached state, not appended yet (see `decideOn`). */
interface Decision<S> {
  streamId: string;
  cached: CachedStream<S>;
  /** The cached state with the decided events applied. */
  state: S;
  events: NewEvent[];
  /** Filled in for duplicates and rejections now, for the decided commands by `settle`. */
  outcomes: CommandOutcome[];
  /** Each decided command's events: `count` of `events` from `first`. */
  decided: { index: number; first: number; count: number }[];
  untrusted: boolean;
  /** Drops the cached state the decision evolved (every way out but `settle`). */
  forget(): void;
  /** The outcomes, with repeated commandIds answered like their first. */
  finish(): CommandOutcome[];
}

/**
 * One command of a batch for one stream, with its own envelope (commandId, actor, effective time) and,
 * optionally, its own decision context (otherwise the batch's).
 */
export interface CommandItem<C, X = unknown> {
  command: C;
  envelope: CommandEnvelope;
  context?: X;
}

/**
 * A stream's state as the executor knows it, caught up with the store: for reads that a decision in
 * another stream needs, and for plans evaluated in memory. `accepted` tells whether a commandId was
 * accepted on the stream. Valid only during the callback that receives it; never mutate `state`.
 */
export interface StreamView<S> {
  state: S;
  /** Revision of the stream's last event; -1 for a stream with no events. */
  revision: number;
  /** Exact for the commandIds given to `inspect`; throws for another one that only an older command's hash matches. */
  accepted(commandId: string): boolean;
}

/** What became of one command of a batch: its result, or what was thrown deciding or appending it. */
export type CommandOutcome = { result: Omit<CommandResult, 'projected'> } | { error: unknown };

/** Bounded retries when another process appended to the stream between our read and our append. */
const MAX_ATTEMPTS = 8;
/** The cache's budget in events (stream-cache.util.ts): about 430 MB of PoP states at most (some 430 bytes an event, pop-state-memory.test.ts). */
const MAX_CACHED_EVENTS = 1_000_000;
/** Streams of `executeAcross` worked on at once where they are not written together (dry runs, a store without appendMany). */
const CONCURRENT_STREAMS = 16;

/**
 * Runs a command against one stream: catch the cached state up with the stream (so a command's
 * cost does not grow with the stream's length), answer a known commandId with its first result,
 * decide, append with the expected revision, retry on a concurrent append, then wait for the
 * projections (read your writes).
 */
@Injectable()
export class CommandExecutor {
  private readonly cache = new StreamCache<CachedStream<unknown>>(MAX_CACHED_EVENTS);
  private readonly locks = new StreamLock();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @Optional() @Inject(PROJECTION_WAITER) private readonly projections?: ProjectionWaiter,
  ) {}

  async execute<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    streamId: string,
    command: C,
    envelope: CommandEnvelope,
    context?: X,
  ): Promise<CommandResult> {
    const attributes = { [SPAN_ATTRIBUTES.commandType]: command.type, [SPAN_ATTRIBUTES.streamId]: streamId };
    return inSpan(`command ${command.type}`, { attributes }, async (span) => {
      const started = process.hrtime.bigint();
      let outcome = 'error';
      try {
        const items = [{ command, envelope }];
        const dryRun = envelope.dryRun === true;
        const [done] = await this.locks.run(streamId, () =>
          dryRun ? this.decideOnly(decider, streamId, items, context as X) : this.decideAndAppend(decider, streamId, items, context as X, traceparentOf(span)),
        );
        if ('error' in done) throw done.error;
        outcome = dryRun ? 'dry_run' : done.result.duplicate ? 'duplicate' : 'accepted';
        span.setAttribute(SPAN_ATTRIBUTES.eventCount, done.result.duplicate || dryRun ? 0 : done.result.eventIds.length);
        if (dryRun) return { ...done.result, projected: false };
        span.setAttribute(SPAN_ATTRIBUTES.position, done.result.position);
        const projected = await inSpan('wait for projections', { attributes: { [SPAN_ATTRIBUTES.position]: done.result.position } }, async (wait) => {
          const reached = await this.waitForProjections(done.result.position);
          wait.setAttribute(SPAN_ATTRIBUTES.projected, reached);
          return reached;
        });
        span.setAttribute(SPAN_ATTRIBUTES.projected, projected);
        return { ...done.result, projected };
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        span.setAttribute(SPAN_ATTRIBUTES.commandOutcome, outcome);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.commandDuration.observe({ command: command.type, outcome }, seconds);
      }
    }, (error) => outcomeOf(error) === 'error');
  }

  /**
   * Several commands on one stream (batch imports): decided in order, each on the state the ones
   * before it leave, and appended together in one round trip and one commit. Each keeps its own
   * commandId and outcome, so one rejected command leaves the others alone; an append that fails
   * fails all that it carried. Positions are the append's. No projection wait: the caller waits once.
   * A batch with a dry-run envelope is decided only (see `decideOnly`).
   */
  async executeAll<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    streamId: string,
    items: readonly CommandItem<C, X>[],
    context?: X,
  ): Promise<CommandOutcome[]> {
    const types = [...new Set(items.map(({ command }) => command.type))];
    const attributes = { [SPAN_ATTRIBUTES.commandType]: types, [SPAN_ATTRIBUTES.commandCount]: items.length, [SPAN_ATTRIBUTES.streamId]: streamId };
    return inSpan('command batch', { attributes }, async (span) => {
      const started = process.hrtime.bigint();
      const dryRun = items.some(({ envelope }) => envelope.dryRun === true);
      const outcomes = await this.locks.run(streamId, () =>
        dryRun ? this.decideOnly(decider, streamId, items, context as X) : this.decideAndAppend(decider, streamId, items, context as X, traceparentOf(span)),
      );
      span.setAttribute(SPAN_ATTRIBUTES.eventCount, this.observeBatch(items, outcomes, started, dryRun));
      return outcomes;
    });
  }

  /**
   * Batches for several streams (a procurement batch: one per PoP), each decided like `executeAll`,
   * appended together in one atomic write and one commit where the store has `appendMany`: a thousand
   * records over fifty PoPs cost one transaction instead of fifty. The streams are locked together.
   * When that write fails (another process appended to one of the streams, or the store refused it),
   * nothing of it was written, and each stream's batch is decided and appended on its own as
   * `executeAll` does it (with its retries). A batch with a dry-run envelope is decided only.
   */
  async executeAcross<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    batches: readonly { streamId: string; items: readonly CommandItem<C, X>[] }[],
  ): Promise<CommandOutcome[][]> {
    const appendMany = this.store.appendMany?.bind(this.store);
    const dryRun = batches.some(({ items }) => items.some(({ envelope }) => envelope.dryRun === true));
    if (!appendMany || dryRun || batches.length < 2) return mapBounded(batches, CONCURRENT_STREAMS, ({ streamId, items }) => this.executeAll(decider, streamId, items));
    const commands = batches.reduce((n, { items }) => n + items.length, 0);
    const attributes = { [SPAN_ATTRIBUTES.commandCount]: commands, [SPAN_ATTRIBUTES.streamId]: batches.map(({ streamId }) => streamId) };
    return inSpan('command batches', { attributes }, async (span) => {
      const started = process.hrtime.bigint();
      const traceparent = traceparentOf(span);
      const outcomes = await this.locks.runAll(batches.map(({ streamId }) => streamId), async () => {
        // Streams not in the cache are read concurrently; the decisions are synchronous.
        const decisions = await Promise.all(batches.map(({ streamId, items }) =>
          this.decideOn(decider, streamId, items, undefined as X, traceparent, 1, items.some(({ envelope }) => envelope.expectedRevision !== undefined)),
        ));
        const together = decisions.filter((decision) => !decision.untrusted && decision.decided.length > 0);
        const alone = new Set(decisions.filter((decision) => decision.untrusted));
        for (const decision of alone) decision.forget();
        if (together.length > 0) {
          try {
            const requests = together.map(({ streamId, cached, events }) => ({ streamId, events, expectedRevision: cached.revision < 0 ? ('no_stream' as const) : cached.revision }));
            const appended = await inSpan('append', { attributes: { [SPAN_ATTRIBUTES.eventCount]: requests.reduce((n, { events }) => n + events.length, 0) } }, () => appendMany(requests));
            together.forEach((decision, i) => this.settle(decision, appended[i]));
          } catch {
            // Nothing was written: each stream on its own, where the error (if it is one) finds its commands.
            for (const decision of together) {
              decision.forget();
              alone.add(decision);
            }
          }
        }
        return Promise.all(decisions.map((decision, i) =>
          alone.has(decision) ? this.decideAndAppend(decider, decision.streamId, batches[i].items, undefined as X, traceparent) : decision.finish(),
        ));
      });
      const items = batches.flatMap((batch) => batch.items);
      span.setAttribute(SPAN_ATTRIBUTES.eventCount, this.observeBatch(items, outcomes.flat(), started, false));
      return outcomes;
    });
  }

  /** Records each command's share of a batch's time under its outcome; answers the events accepted. */
  private observeBatch(items: readonly CommandItem<{ type: string }, unknown>[], outcomes: CommandOutcome[], started: bigint, dryRun: boolean): number {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / Math.max(items.length, 1);
    let events = 0;
    outcomes.forEach((done, i) => {
      const outcome = 'error' in done ? outcomeOf(done.error) : dryRun ? 'dry_run' : done.result.duplicate ? 'duplicate' : 'accepted';
      if (outcome === 'accepted' && 'result' in done) events += done.result.eventIds.length;
      this.metrics.commandDuration.observe({ command: items[i].command.type, outcome }, seconds);
    });
    return events;
  }

  /**
   * Runs `read` on the stream's current state under the stream's lock, so that no command of this
   * process is half-applied to it meanwhile. `read` is synchronous and must not mutate the state;
   * `commandIds`: those it may ask `accepted` about.
   */
  async inspect<S, E extends DomainEventLike, T>(
    decider: Pick<Decider<never, S, E, never>, 'initialState' | 'evolve'>,
    streamId: string,
    read: (view: StreamView<S>) => T,
    commandIds: readonly string[] = [],
  ): Promise<T> {
    return this.locks.run(streamId, async () => {
      const cached = await this.catchUp(decider, streamId);
      const known = await this.acceptedAmong(streamId, cached, commandIds);
      const accepted = (commandId: string) => {
        if (known.has(commandId)) return true;
        if (cached.commands.lookup(commandId) === 'maybe') throw new Error(`commandId ${commandId} was not given to inspect(${streamId})`);
        return false;
      };
      return read({ state: cached.state, revision: cached.revision, accepted });
    });
  }

  /** Read your writes for work appended through `executeAll`: true once every projection has passed `position`. */
  awaitProjections(position: string): Promise<boolean> {
    return this.waitForProjections(position);
  }

  /** The current state of a stream, for reads that a decision in another stream needs. */
  async load<S, E extends DomainEventLike>(decider: Pick<Decider<never, S, E, never>, 'initialState' | 'evolve'>, streamId: string): Promise<{ state: S; revision: number }> {
    return this.locks.run(streamId, async () => {
      const cached = await this.catchUp(decider, streamId);
      return { state: cached.state, revision: cached.revision };
    });
  }

  /**
   * A dry run (docs/api.md, "Dry runs"): the same checks and decisions as `decideAndAppend`, on a fresh
   * read of the stream, but nothing is appended and no commandId is remembered. Each command is decided
   * on the state the ones before it would leave (evolved on a copy: the cached state is never touched).
   * Results carry the events each command would append, no event ids, an empty position, and the
   * revision the command was decided on.
   */
  private async decideOnly<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    streamId: string,
    items: readonly CommandItem<C, X>[],
    context: X,
  ): Promise<CommandOutcome[]> {
    const cached = await this.catchUp(decider, streamId);
    const known = await this.acceptedAmong(streamId, cached, items.map(({ envelope }) => envelope.commandId));
    let state = cached.state;
    let copied = false;
    let planned = 0;
    const decidedHere = new Set<string>();
    return items.map(({ command, envelope, context: own }, index): CommandOutcome => {
      const revision = cached.revision + planned;
      const commandId = envelope.commandId;
      if (commandId && (known.has(commandId) || decidedHere.has(commandId))) {
        return { result: { streamId, revision, position: '', eventIds: [], duplicate: true, dryRun: true, wouldRecord: [] } };
      }
      if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
        return { error: new WrongExpectedRevisionError(streamId, envelope.expectedRevision, revision < 0 ? 'no_stream' : revision) };
      }
      let events: E[];
      try {
        events = decider.decide(command, state, own ?? context);
      } catch (error) {
        return { error };
      }
      if (index < items.length - 1) {
        if (!copied) state = cloneJson(state);
        copied = true;
        for (const event of events) state = decider.evolve(state, event);
      }
      planned += events.length;
      if (commandId) decidedHere.add(commandId);
      const wouldRecord: PlannedEvent[] = events.map((event) => ({ type: event.type, streamId, effectiveAt: event.effectiveAt, data: event.data as Record<string, unknown> }));
      return { result: { streamId, revision, position: '', eventIds: [], duplicate: false, dryRun: true, wouldRecord } };
    });
  }

  private async decideAndAppend<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    streamId: string,
    items: readonly CommandItem<C, X>[],
    context: X,
    traceparent: string | undefined,
  ): Promise<CommandOutcome[]> {
    // The cached state is trusted for the first decision (the append's expected revision catches any
    // event appended meanwhile), except where a stale state could change the answer without an append:
    // a pinned expectedRevision, or a rejection. Those are checked against the stream first.
    let refresh = items.some(({ envelope }) => envelope.expectedRevision !== undefined);
    for (let attempt = 1; ; attempt++) {
      const decision = await this.decideOn(decider, streamId, items, context, traceparent, attempt, refresh);
      refresh = true;
      if (decision.untrusted) {
        decision.forget();
        continue;
      }
      if (decision.decided.length === 0) return decision.outcomes;
      try {
        const expected = decision.cached.revision < 0 ? 'no_stream' : decision.cached.revision;
        const appendAttributes = { [SPAN_ATTRIBUTES.streamId]: streamId, [SPAN_ATTRIBUTES.eventCount]: decision.events.length };
        const appended = await inSpan('append', { attributes: appendAttributes }, async (span) => {
          const result = await this.store.append(streamId, decision.events, expected);
          span.setAttribute(SPAN_ATTRIBUTES.position, result.position);
          return result;
        }, (error) => !(error instanceof WrongExpectedRevisionError));
        this.settle(decision, appended);
      } catch (error) {
        decision.forget();
        // Another process appended first: decide again on the new state, unless a caller pinned a revision.
        const pinned = decision.decided.some(({ index }) => items[index].envelope.expectedRevision !== undefined);
        if (error instanceof WrongExpectedRevisionError && !pinned && attempt < MAX_ATTEMPTS) continue;
        for (const { index } of decision.decided) decision.outcomes[index] = { error };
      }
      return decision.finish();
    }
  }

  /**
   * Decides a stream's commands in order on its cached state (caught up; re-read first when `refresh`),
   * without appending. Each is decided on the state the ones before it leave: evolved in place on the
   * cached state (no copy per batch). Until the append succeeds that state holds events the store does
   * not have, so every way out but `settle` must `forget` it, and the next use re-reads the stream.
   * `untrusted`: a command was rejected on a state that was not re-read, so the decision must be made
   * again on a fresh read.
   */
  private async decideOn<C extends { type: string; effectiveAt: string }, S, E extends DomainEventLike, X>(
    decider: Decider<C, S, E, X>,
    streamId: string,
    items: readonly CommandItem<C, X>[],
    context: X,
    traceparent: string | undefined,
    attempt: number,
    refresh: boolean,
  ): Promise<Decision<S>> {
    const refreshed = refresh || !this.cache.has(streamId);
    const cached = await inSpan('load stream', { attributes: { [SPAN_ATTRIBUTES.streamId]: streamId } }, async (span) => {
      const loaded = await this.catchUp(decider, streamId, refresh);
      span.setAttribute(SPAN_ATTRIBUTES.revision, loaded.revision);
      return loaded;
    });
    const known = await this.acceptedAmong(streamId, cached, items.map(({ envelope }) => envelope.commandId));
    const outcomes: CommandOutcome[] = new Array(items.length);
    const events: NewEvent[] = [];
    const decided: Decision<S>['decided'] = [];
    const repeats: { index: number; of: number }[] = [];
    const decidedHere = new Map<string, number>();
    let state = cached.state;
    let evolved = false;
    const forget = () => {
      if (evolved) this.cache.delete(streamId, cached);
    };
    inSpanSync('decide', { attributes: { [SPAN_ATTRIBUTES.commandAttempt]: attempt } }, (span) => {
      items.forEach(({ command, envelope, context: own }, index) => {
        const answer = envelope.commandId ? known.get(envelope.commandId) : undefined;
        if (answer) {
          outcomes[index] = { result: { streamId, ...answer, eventIds: [...answer.eventIds], duplicate: true, dryRun: false, wouldRecord: [] } };
          return;
        }
        const earlier = envelope.commandId ? decidedHere.get(envelope.commandId) : undefined;
        if (earlier !== undefined) {
          repeats.push({ index, of: earlier });
          return;
        }
        const revision = cached.revision + events.length;
        if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
          outcomes[index] = { error: new WrongExpectedRevisionError(streamId, envelope.expectedRevision, revision < 0 ? 'no_stream' : revision) };
          return;
        }
        let newEvents: E[];
        try {
          newEvents = decider.decide(command, state, own ?? context);
        } catch (error) {
          outcomes[index] = { error };
          return;
        }
        evolved = true;
        try {
          for (const event of newEvents) state = decider.evolve(state, event);
        } catch (error) {
          forget(); // a failing evolve is a bug; the state it left is not trusted
          throw error;
        }
        decided.push({ index, first: events.length, count: newEvents.length });
        events.push(...newEvents.map((event) => this.toNewEvent(event, envelope, traceparent)));
        if (envelope.commandId) decidedHere.set(envelope.commandId, index);
      });
      span.setAttribute(SPAN_ATTRIBUTES.eventCount, events.length);
    });
    const untrusted = !refreshed && outcomes.some((outcome) => outcome && 'error' in outcome);
    const finish = () => {
      for (const { index, of } of repeats) {
        const first = outcomes[of];
        outcomes[index] = 'result' in first ? { result: { ...first.result, duplicate: true } } : first;
      }
      return outcomes;
    };
    return { streamId, cached: cached as CachedStream<S>, state, events, outcomes, decided, untrusted, forget, finish };
  }

  /** The decision's events were appended: the cached state moves on, and each decided command gets its result. */
  private settle<S>(decision: Decision<S>, appended: AppendResult): void {
    const { streamId, cached, events } = decision;
    this.metrics.eventsAppended.inc({ category: categoryOf(streamId) }, events.length);
    cached.state = decision.state;
    events.forEach((event, k) => this.remember(cached, event.metadata.commandId, event.eventId, appended.revision - (events.length - 1 - k), appended.position));
    if (this.cache.get(streamId) === cached) this.cache.set(streamId, cached); // weighed again, with its new events
    for (const { index, first, count } of decision.decided) {
      const revision = appended.revision - (events.length - first - count);
      const eventIds = events.slice(first, first + count).map((e) => e.eventId);
      decision.outcomes[index] = { result: { streamId, revision, position: appended.position, eventIds, duplicate: false, dryRun: false, wouldRecord: [] } };
    }
  }

  /** `traceparent`: the command's span, when traced, so that the projection batch applying the event can link to it. */
  private toNewEvent(event: DomainEventLike, envelope: CommandEnvelope, traceparent: string | undefined): NewEvent {
    return {
      eventId: randomUUID(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        effectiveAt: event.effectiveAt,
        actor: envelope.principal.name,
        source: envelope.source,
        commandId: envelope.commandId ?? randomUUID(),
        correlationId: envelope.correlationId ?? envelope.commandId ?? randomUUID(),
        schemaVersion: CURRENT_SCHEMA_VERSION,
        ...(traceparent ? { traceparent } : {}),
      },
    };
  }

  /** Applies the events appended since the cached revision (all of them on first use). */
  private async catchUp<S, E extends DomainEventLike>(
    decider: Pick<Decider<never, S, E, never>, 'initialState' | 'evolve'>,
    streamId: string,
    refresh = true,
  ): Promise<CachedStream<S>> {
    let cached = this.cache.get(streamId) as CachedStream<S> | undefined;
    if (cached) this.cache.delete(streamId); // set again below, as the most recently used (and if applying fails, dropped)
    if (cached && !refresh) {
      this.cache.set(streamId, cached);
      return cached;
    }
    cached ??= { state: decider.initialState(), revision: -1, commands: new AcceptedCommands() };
    try {
      const events = await this.store.readStream(streamId, { fromRevision: cached.revision + 1 });
      for (const recorded of events) this.apply(decider, cached, upcast(recorded));
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    // A stream without events costs a read to load again, but cached it would hold a slot per id ever asked for.
    if (cached.revision >= 0) this.cache.set(streamId, cached);
    return cached;
  }

  private apply<S, E extends DomainEventLike>(decider: Pick<Decider<never, S, E, never>, 'evolve'>, cached: CachedStream<S>, recorded: RecordedEvent): void {
    cached.state = decider.evolve(cached.state, { type: recorded.type, data: recorded.data, effectiveAt: recorded.metadata.effectiveAt } as E);
    this.remember(cached, recorded.metadata.commandId, recorded.eventId, recorded.revision, recorded.position);
  }

  /**
   * Moves the cached revision to an event and files it under its command (for duplicates). Takes the
   * fields, not a RecordedEvent: an appended event would otherwise be copied into one per event.
   */
  private remember<S>(cached: CachedStream<S>, commandId: string, eventId: string, revision: number, position: string): void {
    cached.revision = revision;
    cached.commands.record(commandId, eventId, revision, position);
  }

  /**
   * The answers of the given commandIds that the stream accepted, up to the cached revision. Recent ones
   * come from the cache; one that only an older command's hash matches is looked up in the stream itself
   * (a retry of an old command, or a rare hash collision): a read of the whole stream, once per such id.
   */
  private async acceptedAmong<S>(streamId: string, cached: CachedStream<S>, commandIds: ReadonlyArray<string | undefined>): Promise<Map<string, AcceptedCommand>> {
    const known = new Map<string, AcceptedCommand>();
    const unsure = new Set<string>();
    for (const commandId of commandIds) {
      if (!commandId) continue;
      const found = cached.commands.lookup(commandId);
      if (found === 'maybe') unsure.add(commandId);
      else if (found) known.set(commandId, found);
    }
    if (unsure.size === 0) return known;
    for (const recorded of await this.store.readStream(streamId, { maxCount: cached.revision + 1 })) {
      const commandId = recorded.metadata.commandId;
      if (!unsure.has(commandId)) continue;
      const answer = known.get(commandId);
      if (answer) {
        answer.eventIds.push(recorded.eventId);
        answer.revision = recorded.revision;
        answer.position = recorded.position;
      } else {
        known.set(commandId, { eventIds: [recorded.eventId], revision: recorded.revision, position: recorded.position });
      }
    }
    return known;
  }

  private async waitForProjections(position: string): Promise<boolean> {
    if (!this.projections) return false;
    return this.projections.waitFor(position, this.config.READ_YOUR_WRITES_TIMEOUT_MS);
  }
}

/** A stream's category for metrics: its prefix before the first "-" (`pop`, `fx`), or the whole name (`apikeys`). */
function categoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

function outcomeOf(error: unknown): string {
  return (error as { name?: string }).name === 'RuleViolationError' ? 'rejected' : 'error';
}
