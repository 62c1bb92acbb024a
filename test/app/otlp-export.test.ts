import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { graphql } from '../support/service-client';
import { freePort, startServiceProcess } from '../support/service-process';
import { createServiceStorage, type ServiceStorage } from '../support/service-storage';
import { API_KEYS, KEYS } from '../support/test-app';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}

interface OtlpSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  attributes: OtlpAttribute[];
  links?: Array<{ spanId: string }>;
}

/** The OTLP/HTTP JSON body of a trace export (the parts read here). */
interface OtlpTraces {
  resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** A stand-in OTLP/HTTP collector: keeps every request, answers 200. */
async function startCollector(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const port = await freePort();
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ path: request.url ?? '', contentType: String(request.headers['content-type']), body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('OTLP/HTTP export (OTEL_EXPORTER_OTLP_ENDPOINT)', { timeout: 180_000 }, () => {
  let storage: ServiceStorage;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  before(async () => {
    storage = await createServiceStorage(process.env.DATABASE_URL ? 'postgres' : 'pglite', process.env.DATABASE_URL, 'otlp');
    collector = await startCollector();
  });
  after(async () => {
    await collector?.close();
    await storage?.dispose();
  });

  it('the service started by main.ts exports its spans to <endpoint>/v1/traces, the last ones at SIGTERM', async () => {
    const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/` } });
    try {
      const answer = await graphql(service.url, KEYS.planner, 'mutation Export($input: RegisterPopInput!) { registerPop(input: $input) { streamId projected } }', {
        input: { popId: 'otlp1', code: 'OTL', name: 'n', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE' },
      });
      assert.equal(answer.errors, undefined);
    } finally {
      // Spans wait in the batch processor (5 s); the shutdown exports them.
      assert.equal(await service.stop(30_000), 0, service.output());
    }
    assert.ok(collector.received.length > 0, 'the collector received an export');
    for (const { path, contentType } of collector.received) {
      assert.equal(path, '/v1/traces');
      assert.equal(contentType, 'application/json');
    }
    const exported = collector.received.map(({ body }) => JSON.parse(body.toString('utf8')) as OtlpTraces);
    const resources = exported.flatMap(({ resourceSpans }) => resourceSpans);
    const spans = resources.flatMap(({ scopeSpans }) => scopeSpans.flatMap((scope) => scope.spans));
    const names = new Set(spans.map(({ name }) => name));
    for (const name of ['POST /graphql', 'mutation Export', 'command RegisterPop', 'load stream', 'decide', 'append', 'wait for projections', 'projection batch']) {
      assert.ok(names.has(name), `the export holds a span "${name}" (has ${[...names].join(', ')})`);
    }
    const serviceName = resources[0].resource.attributes.find(({ key }) => key === 'service.name');
    assert.equal(serviceName?.value.stringValue, 'pop-ledger');
    const command = spans.find(({ name }) => name === 'command RegisterPop') as OtlpSpan;
    assert.equal(spans.find(({ name }) => name === 'append')?.parentSpanId, command.spanId);
    assert.ok(spans.some(({ name, links }) => name === 'projection batch' && links?.some((link) => link.spanId === command.spanId)));
    // On a PostgreSQL server, SQL spans: main.ts registered the pg instrumentation before the application required pg.
    const sql = spans.filter(({ attributes }) => attributes.some(({ key, value }) => key === 'db.system.name' && value.stringValue === 'postgresql'));
    if (storage.kind === 'postgres') assert.ok(sql.length > 0, 'SQL spans were exported');
    else assert.equal(sql.length, 0);
    const text = collector.received.map(({ body }) => body.toString('utf8')).join('');
    for (const secret of Object.values(KEYS)) assert.equal(text.includes(secret), false);
  });
});
