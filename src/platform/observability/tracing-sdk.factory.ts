import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
// Type-only imports: erased at compile time, so none of these modules is loaded unless tracing starts.
import type * as InstrumentationModule from '@opentelemetry/instrumentation';
import type * as PgInstrumentationModule from '@opentelemetry/instrumentation-pg';
import type * as OtlpModule from '@opentelemetry/exporter-trace-otlp-http';
import type * as ResourcesModule from '@opentelemetry/resources';
import type * as SdkModule from '@opentelemetry/sdk-trace-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { markTracingStarted, tracingStarted } from './tracing.util';

export interface TracingOptions {
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT): spans are batched to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Instead of OTLP (tests): every span is handed to this exporter as it ends, e.g. an InMemorySpanExporter. */
  exporter?: SpanExporter;
  /** Where the SDK's own warnings and errors go (an unreachable collector, say). */
  warn?: (message: string) => void;
}

export interface Tracing {
  /** Exports what is still buffered. */
  flush(): Promise<void>;
  /** Flushes, then unregisters the SDK and the instrumentation (spans become no-ops again). */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK when there is somewhere to send spans, and returns undefined (loading
 * nothing, registering nothing) when there is not: the service's spans then stay @opentelemetry/api
 * no-ops. Call it before anything requires `pg`: the pg instrumentation patches the module as it is
 * first required (src/main.ts starts tracing before it loads the application).
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  if (!options.endpoint && !options.exporter) return undefined;
  if (tracingStarted()) throw new Error('Tracing is already started in this process');
  const sdk = load<typeof SdkModule>('@opentelemetry/sdk-trace-node');
  const resources = load<typeof ResourcesModule>('@opentelemetry/resources');
  const { registerInstrumentations } = load<typeof InstrumentationModule>('@opentelemetry/instrumentation');
  const { PgInstrumentation } = load<typeof PgInstrumentationModule>('@opentelemetry/instrumentation-pg');

  if (options.warn) {
    const warn = options.warn;
    const log = (message: string, ...args: unknown[]) => warn(`tracing: ${[message, ...args.map(describe)].join(' ')}`);
    diag.setLogger({ error: log, warn: log, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.WARN);
  }
  const processor = options.exporter
    ? new sdk.SimpleSpanProcessor(options.exporter)
    : new sdk.BatchSpanProcessor(new (load<typeof OtlpModule>('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)({ url: tracesUrl(options.endpoint as string) }));
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) override our defaults.
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'pop-ledger', 'service.version': serviceVersion() }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The global tracer provider, an AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  // SQL spans only inside a traced operation (not the subscriptions' polling); never parameter values.
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false, ignoreConnectSpans: true })],
  });
  markTracingStarted(true);
  return {
    flush: () => provider.forceFlush(),
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
      markTracingStarted(false);
    },
  };
}

/** The traces endpoint of an OTLP/HTTP base URL (the OTLP exporter specification's rule for the generic variable). */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

function load<T>(name: string): T {
  // Loaded on demand only, so that a service without tracing never loads the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name) as T;
}

function serviceVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** One line for a diag argument: an error's message (an export error's object has one too), or the value. */
function describe(value: unknown): string {
  const message = (value as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
