import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KEYS, startTestApp, TestApp } from '../support/test-app';
import { device, eventually, physicalPop, run, subscribe, subscription, subscriptions, SUBSCRIPTION_FIELDS } from './outbound-client';
import { WebhookReceiver } from './webhook-receiver';

/** The outbound contract over GraphQL-over-HTTP: every name of docs/outbound-events.md, errors and access. */

const SECRET = 'graphql-secret-0123456789';
const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { ${SUBSCRIPTION_FIELDS} } }`;
const DELETE = `mutation($input: DeleteWebhookSubscriptionInput!) { deleteWebhookSubscription(input: $input) { ${SUBSCRIPTION_FIELDS} } }`;
const REDELIVER = `mutation($input: RedeliverDeadLettersInput!) { redeliverDeadLetters(input: $input) { ${SUBSCRIPTION_FIELDS} } }`;

describe('outbound events over GraphQL', { timeout: 300_000 }, () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({ OUTBOX_RETRY_BASE_MS: 20, OUTBOX_MAX_ATTEMPTS: 2 });
  });
  after(async () => {
    await app?.close();
    await receiver?.close();
  });

  const fieldsOf = (response: { errors?: Array<{ extensions: Record<string, any> }> }) =>
    (response.errors?.[0]?.extensions.fields ?? []).map((f: { field: string }) => f.field);

  it('OutboundEventType holds the contract names', async () => {
    const answer = await app.gql('{ __type(name: "OutboundEventType") { enumValues { name } } }');
    assert.deepEqual(answer.data.__type.enumValues.map((v: { name: string }) => v.name).sort(), [
      'CAPACITY_STATUS_CHANGED', 'INVENTORY_CHANGED', 'RESIDENCY_VIOLATION_CLOSED', 'RESIDENCY_VIOLATION_OPENED',
    ]);
  });

  it('validates every input field (BAD_USER_INPUT with the fields) and accepts only http and https URLs', async () => {
    const valid = { subscriptionId: 'v1', url: 'https://hooks.example.com/popledger', eventTypes: ['INVENTORY_CHANGED'], secret: SECRET };
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ url: 'ftp://hooks.example.com/x' }, ['url']],
      [{ url: 'file:///etc/passwd' }, ['url']],
      [{ url: 'javascript:alert(1)' }, ['url']],
      [{ url: 'not a url' }, ['url']],
      [{ url: `https://example.com/${'x'.repeat(2100)}` }, ['url']],
      [{ secret: 'short' }, ['secret']],
      [{ eventTypes: [] }, ['eventTypes']],
      [{ eventTypes: ['INVENTORY_CHANGED', 'INVENTORY_CHANGED'] }, ['eventTypes']],
      [{ subscriptionId: 'has space' }, ['subscriptionId']],
    ];
    for (const [change, fields] of cases) {
      const answer = await app.gql(CREATE, { input: { ...valid, ...change } });
      assert.equal(answer.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', JSON.stringify(change));
      assert.deepEqual(fieldsOf(answer), fields, JSON.stringify(change));
    }
    const unknownType = await app.gql(CREATE, { input: { ...valid, eventTypes: ['EVERYTHING'] } });
    assert.equal(unknownType.status, 400);
    assert.equal(unknownType.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(await subscriptions(app), []);
    const http = await app.gql(CREATE, { input: { ...valid, url: 'http://127.0.0.1:9/hook' } });
    assert.equal(http.errors, undefined);
    await app.gql(DELETE, { input: { subscriptionId: 'v1' } });
  });

  it('creates, lists, deletes; never answers the secret; duplicate ids and unknown ones are refused', async () => {
    const input = { subscriptionId: 'crud-1', url: 'https://hooks.example.com/a', eventTypes: ['CAPACITY_STATUS_CHANGED', 'RESIDENCY_VIOLATION_OPENED'], secret: SECRET };
    const created = await app.gql(CREATE, { input });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.ok(!JSON.stringify(created.data).includes(SECRET), 'the secret is not answered');
    assert.deepEqual(created.data.createWebhookSubscription.eventTypes, ['CAPACITY_STATUS_CHANGED', 'RESIDENCY_VIOLATION_OPENED']);
    const secretField = await app.gql('{ webhookSubscriptions { secret } }');
    assert.equal(secretField.status, 400, 'no field can answer it');
    const again = await app.gql(CREATE, { input: { ...input, url: 'https://elsewhere.example.com' } });
    assert.deepEqual([again.errors?.[0]?.extensions.code, again.errors?.[0]?.extensions.rule], ['RULE_VIOLATION', 'DUPLICATE_ID']);
    const listed = await subscriptions(app);
    assert.deepEqual(listed.map((s) => [s.subscriptionId, s.url]), [['crud-1', 'https://hooks.example.com/a']]);
    assert.ok(!JSON.stringify(listed).includes(SECRET));

    const deleted = await app.gql(DELETE, { input: { subscriptionId: 'crud-1' } });
    assert.equal(deleted.data.deleteWebhookSubscription.subscriptionId, 'crud-1');
    assert.deepEqual(await subscriptions(app), []);
    for (const document of [DELETE, REDELIVER]) {
      const missing = await app.gql(document, { input: { subscriptionId: 'crud-1' } });
      assert.equal(missing.errors?.[0]?.extensions.code, 'NOT_FOUND');
    }
  });

  it('is for admins only', async () => {
    for (const role of ['planner', 'procurement', 'compliance', 'viewer'] as const) {
      const answers = [
        await app.gql(CREATE, { input: { subscriptionId: 'x', url: 'https://e.example', eventTypes: ['INVENTORY_CHANGED'], secret: SECRET } }, role),
        await app.gql(DELETE, { input: { subscriptionId: 'x' } }, role),
        await app.gql(REDELIVER, { input: { subscriptionId: 'x' } }, role),
        await app.gql(`{ webhookSubscriptions { ${SUBSCRIPTION_FIELDS} } }`, {}, role),
      ];
      assert.deepEqual(answers.map((a) => a.errors?.[0]?.extensions.code), ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'], role);
    }
    const anonymous = await app.gql(`{ webhookSubscriptions { subscriptionId } }`, {}, { header: undefined });
    assert.equal(anonymous.errors?.[0]?.extensions.code, 'UNAUTHENTICATED');
  });

  it('shows the outbox in projectionStatus and the delivery metrics on /metrics; a rebuild sends nothing again', async () => {
    const url = receiver.endpoint('/metrics-hook', SECRET);
    await subscribe(app, { subscriptionId: 'metered', url, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET });
    await physicalPop(app, 'met1', '2026-01-01T00:00:00Z');
    await run(app, 'installDevice', device('met1', 'd1', 1, 4500, '2026-02-01T00:00:00Z'));
    await receiver.waitFor(() => receiver.at('/metrics-hook').length >= 7, 120_000, 'deliveries');

    const status = await app.gql('{ projectionStatus { name status lagEvents lastError } }', {}, 'viewer');
    assert.deepEqual(status.data.projectionStatus.find((p: { name: string }) => p.name === 'outbox'), { name: 'outbox', status: 'RUNNING', lagEvents: 0, lastError: null });

    await eventually(() => subscription(app, 'metered'), (s) => s.deliveredCount === 7, 'delivered');
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.viewer}` } })).text();
    assert.match(metrics, /^popledger_outbox_depth\{sink="webhook",subscription="metered"\} 0$/m);
    assert.match(metrics, /^popledger_outbound_delivery_latency_seconds_count\{sink="webhook",subscription="metered"\} 7$/m);
    assert.match(metrics, /^popledger_outbound_delivered_total\{sink="webhook",subscription="metered"\} 7$/m);
    assert.match(metrics, /^popledger_outbound_dead_letters\{subscription="metered"\} 0$/m);
    assert.match(metrics, /^# TYPE popledger_outbound_delivery_failures_total counter$/m);
    assert.match(metrics, /^popledger_projection_lag_events\{projection="outbox"\} 0$/m);

    const rebuilt = await app.gql('mutation { rebuildProjections { projections events } }');
    assert.equal(rebuilt.errors, undefined, JSON.stringify(rebuilt.errors));
    assert.ok(rebuilt.data.rebuildProjections.projections.includes('outbox'));
    const { eventIds } = await run(app, 'removeDevice', { popId: 'met1', deviceId: 'd1', effectiveAt: '2026-03-01T00:00:00Z' });
    await receiver.waitFor(() => receiver.at('/metrics-hook').some((d) => d.body.id === eventIds[0]), 120_000, 'the event after the rebuild');
    await receiver.waitFor(() => receiver.at('/metrics-hook').length >= 9, 120_000, 'its status change');
    const ids = receiver.at('/metrics-hook').map((d) => d.body.id);
    assert.equal(new Set(ids).size, ids.length, 'nothing sent twice');
    assert.deepEqual(receiver.at('/metrics-hook').slice(7).map((d) => `${d.body.type} ${d.body.data.to ?? ''}`), ['INVENTORY_CHANGED ', 'CAPACITY_STATUS_CHANGED OK']);
  });
});
