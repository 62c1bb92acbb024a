import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port';
import { startTracing } from '../../src/platform/observability/tracing-sdk.factory';
import { tracingStarted } from '../../src/platform/observability/tracing.util';
import { freePort } from '../support/service-process';
import { API_KEYS, startTestApp } from '../support/test-app';

/** The modules of the OpenTelemetry SDK, which a service without OTEL_EXPORTER_OTLP_ENDPOINT must never load. */
const SDK_MODULES = /node_modules\/@opentelemetry\/(?!api\/)[^/]+\//;

describe('starting the service', () => {
  // First in this file (its own process): Fastify and Node emit a warning once per process.
  it('emits no process warning while starting, serving and closing (no FSTWRN004 about a second error handler)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(`${warning.name} ${warning.code ?? ''}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const app = await startTestApp();
      const { errors } = await app.gql('mutation { registerPop(input: { popId: "warn1", code: "WRN", name: "n", kind: VIRTUAL, operatorModel: CLOUD, countryCode: "DE" }) { streamId } }');
      assert.equal(errors, undefined);
      const malformed = await fetch(`${app.url}/integrations/procurement/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"records": ' });
      assert.equal(malformed.status, 400);
      await app.close();
      // process.emitWarning delivers on a later tick.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT starts no tracing: no SDK module is loaded and events carry no trace context', async () => {
    assert.equal(startTracing({ endpoint: undefined }), undefined);
    assert.equal(tracingStarted(), false);
    const app = await startTestApp();
    try {
      const { errors } = await app.gql('mutation { registerPop(input: { popId: "notrace1", code: "NTR", name: "n", kind: VIRTUAL, operatorModel: CLOUD, countryCode: "DE" }) { streamId } }');
      assert.equal(errors, undefined);
      const { events } = await app.app.get<EventStore>(EVENT_STORE).readAll(null, 1_000);
      assert.ok(events.length > 0);
      assert.equal(events.some(({ metadata }) => 'traceparent' in metadata), false);
    } finally {
      await app.close();
    }
    assert.deepEqual(Object.keys(require.cache).filter((path) => SDK_MODULES.test(path)), []);
  });
});

describe('src/main.ts', () => {
  it('with OTEL_EXPORTER_OTLP_ENDPOINT, registers the pg instrumentation before anything requires pg', async () => {
    // Runs main.js with a hook on module loading that reports the order and exits at the first require of pg.
    const main = join(__dirname, '..', '..', 'src', 'main.js');
    const script = `
      const Module = require('node:module');
      const load = Module._load;
      const order = [];
      Module._load = function (request) {
        if ((request === 'pg' || request === '@opentelemetry/instrumentation-pg') && !order.includes(request)) {
          order.push(request);
          if (request === 'pg') { console.log('ORDER ' + JSON.stringify(order)); process.exit(0); }
        }
        return load.apply(this, arguments);
      };
      require(${JSON.stringify(main)});`;
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(await freePort()), DATA_DIR: 'memory://', API_KEYS, LOG_LEVEL: 'warn', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };
    for (const name of ['DATABASE_URL', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING']) delete env[name];
    const output = execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 60_000 });
    assert.deepEqual(JSON.parse(/^ORDER (.*)$/m.exec(output)?.[1] ?? 'null'), ['@opentelemetry/instrumentation-pg', 'pg']);
  });
});
