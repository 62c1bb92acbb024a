import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/platform/config/app.config';

describe('configuration contract (docs/api.md, "Configuration")', () => {
  it('has the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.DATA_DIR, './data');
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.EVENT_STORE, 'postgres');
    assert.equal(config.CAPACITY_WARN_PERCENT, 70);
    assert.equal(config.CAPACITY_CRITICAL_PERCENT, 80);
    assert.equal(config.READ_YOUR_WRITES_TIMEOUT_MS, 5000);
    assert.equal(config.OTEL_EXPORTER_OTLP_ENDPOINT, undefined);
    assert.equal(config.RATE_LIMIT_PER_SECOND, 100);
    assert.equal(config.OUTBOX_RETRY_BASE_MS, 1000);
    assert.equal(config.OUTBOX_MAX_ATTEMPTS, 10);
    assert.equal(config.OUTBOX_DELIVERY_TIMEOUT_MS, 10000);
    assert.equal(config.NATS_URL, undefined, 'unset: webhooks only');
    assert.equal(config.apiKeys, undefined);
  });

  it('reads the outbound settings', () => {
    const config = loadConfig({ OUTBOX_RETRY_BASE_MS: '50', OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_DELIVERY_TIMEOUT_MS: '2500', NATS_URL: 'nats://127.0.0.1:4222,nats://10.0.0.2:4222' });
    assert.deepEqual([config.OUTBOX_RETRY_BASE_MS, config.OUTBOX_MAX_ATTEMPTS, config.OUTBOX_DELIVERY_TIMEOUT_MS, config.NATS_URL], [50, 3, 2500, 'nats://127.0.0.1:4222,nats://10.0.0.2:4222']);
  });

  it('reads OTEL_EXPORTER_OTLP_ENDPOINT (an http(s) URL)', () => {
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT, 'http://collector:4318');
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ EVENT_STORE: 'mongo' }, /^Invalid configuration: EVENT_STORE /],
    [{ EVENT_STORE: 'esdb' }, /^Invalid configuration: EVENTSTORE_CONNECTION_STRING /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL /],
    [{ CAPACITY_WARN_PERCENT: '90' }, /CAPACITY_WARN_PERCENT must be lower than CAPACITY_CRITICAL_PERCENT/],
    [{ CAPACITY_CRITICAL_PERCENT: '0' }, /^Invalid configuration: CAPACITY_CRITICAL_PERCENT /],
    [{ API_KEYS: 'alice:root:secret123' }, /^Invalid configuration: API_KEYS entry 1 \(alice\): role must be one of/],
    [{ API_KEYS: 'alice' }, /^Invalid configuration: API_KEYS entry 1 must be name:role:secret/],
    [{ PROCUREMENT_WEBHOOK_SECRET: 'short' }, /^Invalid configuration: PROCUREMENT_WEBHOOK_SECRET /],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^Invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT /],
    [{ RATE_LIMIT_PER_SECOND: '-1' }, /^Invalid configuration: RATE_LIMIT_PER_SECOND /],
    [{ RATE_LIMIT_PER_SECOND: 'lots' }, /^Invalid configuration: RATE_LIMIT_PER_SECOND /],
    [{ OUTBOX_RETRY_BASE_MS: '0' }, /^Invalid configuration: OUTBOX_RETRY_BASE_MS /],
    [{ OUTBOX_RETRY_BASE_MS: 'fast' }, /^Invalid configuration: OUTBOX_RETRY_BASE_MS /],
    [{ OUTBOX_MAX_ATTEMPTS: '0' }, /^Invalid configuration: OUTBOX_MAX_ATTEMPTS /],
    [{ OUTBOX_DELIVERY_TIMEOUT_MS: '5' }, /^Invalid configuration: OUTBOX_DELIVERY_TIMEOUT_MS /],
    [{ NATS_URL: 'http://127.0.0.1:4222' }, /^Invalid configuration: NATS_URL /],
  ];
  for (const [env, message] of bad) {
    it(`stops with one clear line for ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'));
    });
  }

  it('reads RATE_LIMIT_PER_SECOND, 0 turning the limit off', () => {
    assert.equal(loadConfig({ RATE_LIMIT_PER_SECOND: '0' }).RATE_LIMIT_PER_SECOND, 0);
    assert.equal(loadConfig({ RATE_LIMIT_PER_SECOND: '250' }).RATE_LIMIT_PER_SECOND, 250);
  });

  it('never repeats an API key secret in its error', () => {
    assert.throws(() => loadConfig({ API_KEYS: 'ok:admin:supersecret1,bad:nope:topsecret99' }), (error: Error) => !error.message.includes('topsecret99') && !error.message.includes('supersecret1'));
  });

  it('parses API_KEYS into names and roles, keeping only hashes', () => {
    const config = loadConfig({ API_KEYS: 'ops:admin:secret-one-1,plan:planner:secret-two-2' });
    assert.deepEqual(config.apiKeys?.map((k) => [k.name, k.role, k.secretHash.length]), [['ops', 'admin', 32], ['plan', 'planner', 32]]);
  });
});
