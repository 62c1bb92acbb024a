import { Attributes, INVALID_SPAN_CONTEXT, isSpanContextValid, Link, Span, SpanOptions, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';

/**
 * What the service's code needs of tracing, on @opentelemetry/api alone: the tracer, span helpers, our
 * attribute names and the W3C `traceparent` a command leaves in its events' metadata. Without a started
 * SDK (docs/operations.md, "Tracing") every span here is the API's no-op span: nothing is recorded,
 * kept or exported. The SDK itself is loaded only by `tracing-sdk.factory.ts`.
 */
export const tracer = trace.getTracer('pop-ledger');

/** Our span attributes. None of them ever holds a secret: no header, key, signature or SQL parameter. */
export const SPAN_ATTRIBUTES = {
  commandType: 'popledger.command.type',
  commandCount: 'popledger.command.count',
  commandOutcome: 'popledger.command.outcome',
  commandAttempt: 'popledger.command.attempt',
  projected: 'popledger.command.projected',
  streamId: 'popledger.stream.id',
  revision: 'popledger.stream.revision',
  eventCount: 'popledger.event.count',
  position: 'popledger.log.position',
  projections: 'popledger.projection.names',
  linkedCommands: 'popledger.projection.linked_commands',
  graphqlErrorCodes: 'popledger.graphql.error_codes',
} as const;

let started = false;

/** What every span is without an SDK: the API's non-recording span, handed out without the API's context switching. */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** True once a tracing SDK is registered (by `startTracing`); HTTP and GraphQL hooks are installed only then. */
export function tracingStarted(): boolean {
  return started;
}

/** Called by `startTracing` and its shutdown only. */
export function markTracingStarted(value: boolean): void {
  started = value;
}

/**
 * Runs `fn` in a new active span (a child of the active one, unless `options.root`) and ends it. A
 * throw sets the span's status to ERROR with the error's type, unless `isError` says the error is an
 * expected answer (a rule violation, say), and is rethrown.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>, isError?: (error: unknown) => boolean): Promise<T> {
  if (!started) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      if (!isError || isError(error)) markError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The synchronous twin of `inSpan`. */
export function inSpanSync<T>(name: string, options: SpanOptions, fn: (span: Span) => T): T {
  if (!started) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, options, (span) => {
    try {
      return fn(span);
    } catch (error) {
      markError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** ERROR status and the error's type; the message is left out (it may quote input). */
export function markError(span: Span, error: unknown): void {
  const type = (error as { name?: unknown } | null)?.name;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof type === 'string' ? type : 'Error' });
  span.setAttribute('error.type', typeof type === 'string' ? type : 'Error');
}

/**
 * The W3C `traceparent` of a span that is being recorded, to keep with what it produced (an event's
 * metadata); undefined for a no-op or unsampled span, so nothing is stored when tracing is off.
 */
export function traceparentOf(span: Span | undefined): string | undefined {
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Span links to the spans whose `traceparent`s are given, at most `max` of them (duplicates and malformed
 * values skipped), and how many distinct spans there were: a projection batch links to the commands
 * whose events it applies.
 */
export function linksTo(traceparents: Iterable<unknown>, max: number, attributes?: Attributes): { links: Link[]; total: number } {
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const value of traceparents) {
    if (typeof value !== 'string' || seen.has(value)) continue;
    const match = TRACEPARENT.exec(value);
    if (!match) continue;
    const context = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED, isRemote: true };
    if (!isSpanContextValid(context)) continue;
    seen.add(value);
    if (links.length < max) links.push({ context, attributes });
  }
  return { links, total: seen.size };
}
