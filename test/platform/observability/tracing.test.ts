import 'reflect-metadata';
import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTracing, Tracing } from '../../../src/platform/observability/tracing-sdk.factory';
import { SIGNATURE_HEADER, signBody } from '../../../src/procurement/write/webhook-signature.util';
import type * as ProcurementClient from '../../procurement/procurement-client';
import type * as TestAppModule from '../../support/test-app';

/**
 * Tracing with the SDK and an in-memory exporter (docs/operations.md, "Tracing"). Tracing starts before
 * the application's modules are loaded (they require `pg`, which the pg instrumentation must patch
 * first), so the test app and its helpers are required only in `before`.
 */
const WEBHOOK_SECRET = 'webhook-secret-for-tracing-0123456789';
const onPostgres = Boolean(process.env.DATABASE_URL);
/** EVENT_STORE=esdb (test-event-store.ts): the events go to a KurrentDB double, only the read models to PostgreSQL. */
const onEventStoreDb = process.env.EVENT_STORE === 'esdb';

describe('tracing (OpenTelemetry SDK, in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let testApp: typeof TestAppModule;
  let app: TestAppModule.TestApp;

  before(async () => {
    tracing = startTracing({ exporter }) as Tracing;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    testApp = require('../../support/test-app') as typeof TestAppModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const procurement = require('../../procurement/procurement-client') as typeof ProcurementClient;
    app = await testApp.startTestApp({}, { READ_YOUR_WRITES_TIMEOUT_MS: '60000', PROCUREMENT_WEBHOOK_SECRET: WEBHOOK_SECRET });
    await procurement.setUpSamplePop(app);
  });
  after(async () => {
    await app?.close();
    await tracing?.shutdown();
  });

  /**
   * Sends a request, then waits until its HTTP span has ended (in onResponse, just after the answer).
   * The exporter keeps every span of the file: the last test scans them all for secrets.
   */
  async function traced<T>(send: () => Promise<T>, route: string): Promise<{ answer: T; spans: ReadableSpan[]; http: ReadableSpan }> {
    await tracing.flush();
    const from = exporter.getFinishedSpans().length;
    const answer = await send();
    const deadline = Date.now() + 5_000;
    for (;;) {
      await tracing.flush();
      const http = exporter.getFinishedSpans().slice(from).find((span) => span.name === route);
      if (http) {
        const trace = http.spanContext().traceId;
        return { answer, http, spans: exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === trace) };
      }
      if (Date.now() > deadline) assert.fail(`no span ${route}: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const one = (spans: ReadableSpan[], name: string) => {
    const found = spans.filter((span) => span.name === name);
    assert.equal(found.length, 1, `one span ${name} in ${spans.map((s) => s.name).join(', ')}`);
    return found[0];
  };
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const idOf = (span: ReadableSpan) => span.spanContext().spanId;
  const isSql = (span: ReadableSpan) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql';

  it('traces a mutation: POST /graphql -> mutation RegisterPop -> command RegisterPop -> decide, append; the projection batch links to the command', async () => {
    const query = 'mutation RegisterPop($input: RegisterPopInput!) { registerPop(input: $input) { streamId eventIds projected } }';
    const input = { popId: 'trace-pop-7f3a', code: 'TRC', name: 'Traced', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE' };
    const { answer, spans, http } = await traced(() => app.gql(query, { input }), 'POST /graphql');
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.equal(answer.data.registerPop.projected, true);

    assert.equal(http.kind, SpanKind.SERVER);
    assert.equal(parentOf(http), undefined, 'the request starts the trace');
    assert.deepEqual(
      { method: http.attributes['http.request.method'], route: http.attributes['http.route'], status: http.attributes['http.response.status_code'] },
      { method: 'POST', route: '/graphql', status: 200 },
    );
    const operation = one(spans, 'mutation RegisterPop');
    assert.equal(parentOf(operation), idOf(http));
    assert.equal(operation.attributes['graphql.operation.type'], 'mutation');
    assert.equal(operation.attributes['graphql.operation.name'], 'RegisterPop');

    const command = one(spans, 'command RegisterPop');
    assert.equal(parentOf(command), idOf(operation));
    assert.deepEqual(
      {
        type: command.attributes['popledger.command.type'],
        stream: command.attributes['popledger.stream.id'],
        events: command.attributes['popledger.event.count'],
        outcome: command.attributes['popledger.command.outcome'],
        projected: command.attributes['popledger.command.projected'],
      },
      { type: 'RegisterPop', stream: 'pop-trace-pop-7f3a', events: answer.data.registerPop.eventIds.length, outcome: 'accepted', projected: true },
    );
    const decide = one(spans, 'decide');
    const append = one(spans, 'append');
    const wait = one(spans, 'wait for projections');
    for (const child of [decide, append, wait]) assert.equal(parentOf(child), idOf(command), `${child.name} is a child of the command`);
    assert.equal(append.attributes['popledger.event.count'], answer.data.registerPop.eventIds.length);
    assert.equal(append.attributes['popledger.stream.id'], 'pop-trace-pop-7f3a');

    // The batch that applied the command is a trace of its own (it serves many commands), linked to it.
    const batches = exporter.getFinishedSpans().filter((span) => span.name === 'projection batch' && span.links.some((link) => link.context.spanId === idOf(command)));
    assert.equal(batches.length, 1, 'one projection batch links to the command');
    const [batch] = batches;
    assert.equal(batch.kind, SpanKind.CONSUMER);
    assert.equal(parentOf(batch), undefined);
    assert.notEqual(batch.spanContext().traceId, command.spanContext().traceId);
    assert.equal(batch.links.find((link) => link.context.spanId === idOf(command))?.context.traceId, command.spanContext().traceId);
    assert.ok((batch.attributes['popledger.event.count'] as number) >= 1);
    assert.ok((batch.attributes['popledger.projection.names'] as string[]).includes('planning_inventory'));

    const sql = spans.filter(isSql);
    if (onPostgres) {
      // SQL spans (pg instrumentation) under the append (where the events go to PostgreSQL too), and
      // under the batch in its own trace.
      if (!onEventStoreDb) assert.ok(sql.some((span) => parentOf(span) === idOf(append)), 'the append statement is traced under the append span');
      const batchSql = exporter.getFinishedSpans().filter((span) => isSql(span) && parentOf(span) === idOf(batch));
      assert.ok(batchSql.length >= 2, 'the batch transaction statements are traced under the batch span');
      for (const span of [...sql, ...batchSql]) {
        assert.equal(JSON.stringify(span.attributes).includes('trace-pop-7f3a'), false, 'no parameter value in a SQL span');
        assert.equal(Object.keys(span.attributes).some((key) => key.includes('values') || key.includes('parameter')), false);
      }
    } else {
      assert.deepEqual(sql, [], 'PGlite is not node-postgres: no SQL spans');
    }
  });

  it('traces a procurement webhook call: POST /integrations/procurement/records -> ... -> command batch -> decide, append', async () => {
    const body = JSON.stringify({
      records: [{
        externalId: 'TRACE-1', kind: 'CIRCUIT_DELIVERED', occurredAt: '2026-01-19T10:00:00+01:00', popId: 'fra1', circuitId: 'FRA1-TRACE-1',
        carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10000, monthlyCost: { amount: '2400.00', currency: 'EUR' },
      }],
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${testApp.KEYS.procurement}`, [SIGNATURE_HEADER]: signBody(body, WEBHOOK_SECRET) };
    const route = 'POST /integrations/procurement/records';
    const { answer, spans, http } = await traced(() => fetch(`${app.url}/integrations/procurement/records`, { method: 'POST', headers, body }).then((r) => r.json() as Promise<any>), route);
    assert.equal(answer.accepted, 1, JSON.stringify(answer));
    assert.equal(http.attributes['http.response.status_code'], 200);
    const batch = one(spans, 'command batch');
    assert.equal(batch.attributes['popledger.stream.id'], 'pop-fra1');
    assert.equal(batch.attributes['popledger.command.count'], 1);
    assert.equal(batch.attributes['popledger.event.count'], 1);
    let ancestor: ReadableSpan | undefined = batch;
    while (ancestor && ancestor !== http) ancestor = spans.find((span) => idOf(span) === parentOf(ancestor as ReadableSpan));
    assert.equal(ancestor, http, 'the command batch descends from the request span');
    for (const name of ['decide', 'append']) assert.equal(parentOf(one(spans, name)), idOf(batch));
  });

  it('a rejected command is an answer, not an error; the operation records the error code', async () => {
    const query = 'mutation Again($input: RegisterPopInput!) { registerPop(input: $input) { streamId } }';
    const input = { popId: 'fra1', code: 'FRA', name: 'again', kind: 'VIRTUAL', operatorModel: 'CLOUD', countryCode: 'DE' };
    const { answer, spans } = await traced(() => app.gql(query, { input }), 'POST /graphql');
    assert.equal(answer.errors?.[0].extensions.code, 'RULE_VIOLATION');
    const command = one(spans, 'command RegisterPop');
    assert.equal(command.attributes['popledger.command.outcome'], 'rejected');
    assert.notEqual(command.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(one(spans, 'mutation Again').attributes['popledger.graphql.error_codes'], ['RULE_VIOLATION']);
  });

  it("continues a caller's W3C trace context", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const { http, spans } = await traced(
      () => fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.KEYS.viewer}`, traceparent: `00-${traceId}-${parent}-01` },
        body: JSON.stringify({ query: '{ projectionStatus { name } }' }),
      }).then((r) => r.json()),
      'POST /graphql',
    );
    assert.equal(http.spanContext().traceId, traceId);
    assert.equal(http.parentSpanContext?.spanId, parent);
    assert.equal(parentOf(one(spans, 'query')), idOf(http), 'an anonymous operation is named after its type');
  });

  it('no secret in any span: no API key, Authorization header, webhook secret or signature', async () => {
    // Every kind of request once more (a wrong key too); the spans of the tests above are still kept.
    await app.gql('mutation { registerPop(input: { popId: "secret-scan", code: "SEC", name: "n", kind: VIRTUAL, operatorModel: CLOUD, countryCode: "DE" }) { streamId } }');
    await app.gql('{ pops(first: 5) { totalCount } }', {}, 'planner');
    await app.gql('{ projectionStatus { name } }', {}, { header: `Bearer ${testApp.KEYS.admin}-wrong` });
    const body = JSON.stringify({ records: [{ externalId: 'TRACE-2', kind: 'RACK_DELIVERED', occurredAt: '2026-01-12T07:00:00Z', popId: 'fra1', rackId: 'FRA1-R09' }] });
    const signature = signBody(body, WEBHOOK_SECRET);
    await fetch(`${app.url}/integrations/procurement/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${testApp.KEYS.procurement}`, [SIGNATURE_HEADER]: signature },
      body,
    }).then((r) => r.text());
    await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${testApp.KEYS.admin}` } }).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    for (const name of ['POST /integrations/procurement/records', 'GET /metrics', 'command RegisterPop', 'projection batch']) {
      assert.ok(spans.some((span) => span.name === name), `a ${name} span was scanned`);
    }
    const all = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events.map((event) => [event.name, event.attributes]),
        links: span.links.map((link) => link.attributes),
        status: span.status,
        resource: span.resource.attributes,
      })),
    ).toLowerCase();
    for (const secret of [...Object.values(testApp.KEYS), WEBHOOK_SECRET, signature, 'bearer', 'authorization', SIGNATURE_HEADER]) {
      assert.equal(all.includes(secret.toLowerCase()), false, `a span holds ${secret}`);
    }
  });

  it('/metrics keeps its metrics while tracing', async () => {
    const text = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${testApp.KEYS.admin}` } }).then((r) => r.text());
    for (const name of [
      'popledger_events_appended_total{category="pop"}',
      'popledger_command_duration_seconds_bucket{le="0.001",command="RegisterPop",outcome="accepted"}',
      'popledger_command_duration_seconds_count{command="RegisterPop",outcome="rejected"}',
      'popledger_projection_lag_events{projection="planning_inventory"} 0',
      'popledger_projection_failed{projection="residency"} 0',
      'popledger_process_cpu_seconds_total',
      'popledger_nodejs_eventloop_lag_seconds',
    ]) {
      assert.ok(text.includes(name), `/metrics has ${name}`);
    }
  });
});
