import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SQL_CLIENT, SqlClient } from '../../src/platform/database/sql-client.port';
import { KEYS, startTestApp, TestApp } from '../support/test-app';

const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { name role expiresAt secret } }';
const REVOKE = 'mutation($name: String!) { revokeApiKey(input: { name: $name }) { name role source createdAt expiresAt lastUsedAt revokedAt } }';
const LIST = '{ apiKeys { name role source createdAt expiresAt lastUsedAt revokedAt } }';
const POPS = '{ pops(first: 1) { totalCount } }';

describe('stored API keys (docs/api.md, "API keys")', () => {
  let app: TestApp;
  let sql: SqlClient;
  const as = (secret: string) => ({ header: `Bearer ${secret}` });
  const create = async (input: Record<string, unknown>) => {
    const answer = await app.gql(CREATE, { input });
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data.createApiKey as { name: string; role: string; expiresAt: string | null; secret: string };
  };

  before(async () => {
    app = await startTestApp();
    sql = app.app.get<SqlClient>(SQL_CLIENT);
  });
  after(() => app.close());

  it('creates a key whose secret is shown once and works at once with its role; the key name is the actor of its events', async () => {
    const key = await create({ name: 'ci-planner', role: 'PLANNER' });
    assert.deepEqual({ ...key, secret: undefined }, { name: 'ci-planner', role: 'PLANNER', expiresAt: null, secret: undefined });
    assert.match(key.secret, /^ppl_[A-Za-z0-9_-]{32}$/);
    const registered = await app.gql('mutation { registerPop(input: { popId: "key-pop", code: "KEY", name: "n", kind: VIRTUAL, operatorModel: CLOUD, countryCode: "DE" }) { streamId } }', {}, as(key.secret));
    assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
    const forbidden = await app.gql('mutation { setExchangeRates(input: { base: "EUR", rates: [{ currency: "USD", toBase: "0.9" }] }) { streamId } }', {}, as(key.secret));
    assert.equal(forbidden.errors?.[0].extensions.code, 'FORBIDDEN');
    const history = await app.gql('{ history(streamId: "pop-key-pop") { edges { node { actor } } } }');
    assert.deepEqual(history.data.history.edges.map((e: any) => e.node.actor), ['ci-planner']);
  });

  it('answers `me` with the name and role of the key the request is made with, for every role; refuses it without a key', async () => {
    for (const role of ['admin', 'planner', 'procurement', 'compliance', 'viewer'] as const) {
      const answer = await app.gql('{ me { name role } }', {}, role);
      assert.deepEqual(answer.data, { me: { name: role, role: role.toUpperCase() } });
    }
    const stored = await create({ name: 'ci-me', role: 'COMPLIANCE' });
    assert.deepEqual((await app.gql('{ me { name role } }', {}, as(stored.secret))).data, { me: { name: 'ci-me', role: 'COMPLIANCE' } });
    const anonymous = await app.gql('{ me { name } }', {}, {});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.errors?.[0].extensions.code, 'UNAUTHENTICATED');
  });

  it('stores only the SHA-256 of the secret; the apikeys stream records name, role, expiry and actor, never the secret', async () => {
    const key = await create({ name: 'ci-hash', role: 'VIEWER', expiresAt: '2099-01-01T00:00:00+01:00' });
    assert.equal(key.expiresAt, '2098-12-31T23:00:00.000Z');
    const { rows } = await sql.query<{ secret_hash: Uint8Array }>('SELECT secret_hash FROM api_keys WHERE name = $1', ['ci-hash']);
    assert.deepEqual(Buffer.from(rows[0].secret_hash), createHash('sha256').update(key.secret).digest());
    const history = await app.gql('{ history(streamId: "apikeys", first: 500) { edges { node { type actor source data } } } }');
    const events = history.data.history.edges.map((e: any) => e.node);
    const mine = events.find((e: any) => e.data.name === 'ci-hash');
    assert.deepEqual(mine, { type: 'ApiKeyCreated', actor: 'admin', source: 'graphql', data: { name: 'ci-hash', role: 'viewer', expiresAt: '2098-12-31T23:00:00.000Z' } });
    const hex = createHash('sha256').update(key.secret).digest('hex');
    assert.equal(JSON.stringify(events).includes(key.secret) || JSON.stringify(events).includes(hex), false);
    const list = await app.gql(LIST);
    assert.equal(JSON.stringify(list.data).includes(key.secret), false);
  });

  it('lists the keys of API_KEYS and the stored ones, with lastUsedAt', async () => {
    const key = await create({ name: 'ci-listed', role: 'COMPLIANCE' });
    const before = Date.now();
    assert.equal((await app.gql(POPS, {}, as(key.secret))).errors, undefined);
    const list = (await app.gql(LIST)).data.apiKeys as Array<Record<string, any>>;
    assert.deepEqual(
      list.filter((k) => k.source === 'ENVIRONMENT').map((k) => [k.name, k.role, k.createdAt, k.revokedAt]),
      [['admin', 'ADMIN', null, null], ['compliance', 'COMPLIANCE', null, null], ['planner', 'PLANNER', null, null], ['procurement', 'PROCUREMENT', null, null], ['viewer', 'VIEWER', null, null]],
    );
    const listed = list.find((k) => k.name === 'ci-listed');
    assert.equal(listed?.source, 'STORED');
    assert.equal(listed?.role, 'COMPLIANCE');
    assert.ok(Date.parse(listed?.createdAt) <= before);
    assert.ok(Date.parse(listed?.lastUsedAt) >= before, JSON.stringify(listed));
    assert.ok(list.find((k) => k.name === 'admin')?.lastUsedAt, 'the admin key of API_KEYS has been used');
  });

  it('revokes a stored key: refused from the answer on (GraphQL and REST), listed with revokedAt', async () => {
    const key = await create({ name: 'ci-revoked', role: 'ADMIN' });
    assert.equal((await app.gql(POPS, {}, as(key.secret))).errors, undefined);
    const answer = await app.gql(REVOKE, { name: 'ci-revoked' });
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const revoked = answer.data.revokeApiKey;
    assert.equal(revoked.source, 'STORED');
    assert.equal(revoked.role, 'ADMIN');
    assert.ok(revoked.revokedAt && revoked.lastUsedAt && revoked.createdAt);
    assert.equal((await app.gql(POPS, {}, as(key.secret))).errors?.[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${key.secret}` } })).status, 401);
    const listed = (await app.gql(LIST)).data.apiKeys.find((k: any) => k.name === 'ci-revoked');
    assert.equal(listed.revokedAt, revoked.revokedAt);
  });

  it('refuses revoking a key of API_KEYS (KEY_FROM_ENVIRONMENT), an unknown key (NOT_FOUND) and a revoked one again', async () => {
    const env = await app.gql(REVOKE, { name: 'planner' });
    assert.deepEqual(env.errors?.[0].extensions, { code: 'RULE_VIOLATION', rule: 'KEY_FROM_ENVIRONMENT' });
    assert.equal((await app.gql(REVOKE, { name: 'nobody' })).errors?.[0].extensions.code, 'NOT_FOUND');
    await create({ name: 'ci-twice', role: 'VIEWER' });
    assert.equal((await app.gql(REVOKE, { name: 'ci-twice' })).errors, undefined);
    assert.deepEqual((await app.gql(REVOKE, { name: 'ci-twice' })).errors?.[0].extensions, { code: 'RULE_VIOLATION', rule: 'INVALID_TRANSITION' });
    // The key of API_KEYS still works.
    assert.equal((await app.gql(POPS, {}, 'planner')).errors, undefined);
  });

  it('refuses a name in use in either source (RULE_VIOLATION, rule DUPLICATE_ID), revoked names included', async () => {
    const env = await app.gql(CREATE, { input: { name: 'viewer', role: 'VIEWER' } });
    assert.deepEqual(env.errors?.[0].extensions, { code: 'RULE_VIOLATION', rule: 'DUPLICATE_ID' });
    await create({ name: 'ci-dup', role: 'VIEWER' });
    const stored = await app.gql(CREATE, { input: { name: 'ci-dup', role: 'ADMIN' } });
    assert.deepEqual(stored.errors?.[0].extensions, { code: 'RULE_VIOLATION', rule: 'DUPLICATE_ID' });
    const revoked = await app.gql(CREATE, { input: { name: 'ci-revoked', role: 'VIEWER' } });
    assert.deepEqual(revoked.errors?.[0].extensions, { code: 'RULE_VIOLATION', rule: 'DUPLICATE_ID' });
  });

  it('validates names (1-64 of a-z 0-9 -), roles and expiry (in the future)', async () => {
    for (const name of ['CI-Bot', 'ci_bot', 'ci.bot', '', 'x'.repeat(65)]) {
      const answer = await app.gql(CREATE, { input: { name, role: 'VIEWER' } });
      assert.equal(answer.errors?.[0].extensions.code, 'BAD_USER_INPUT', name);
      assert.equal(answer.errors?.[0].extensions.fields?.[0].field, 'name', name);
    }
    assert.ok((await app.gql(CREATE, { input: { name: 'x'.repeat(64), role: 'VIEWER' } })).data?.createApiKey);
    const role = await app.gql(CREATE, { input: { name: 'ci-role', role: 'ROOT' } });
    assert.equal(role.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    const past = await app.gql(CREATE, { input: { name: 'ci-past', role: 'VIEWER', expiresAt: '2020-01-01T00:00:00Z' } });
    assert.equal(past.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(past.errors?.[0].extensions.fields?.[0].field, 'expiresAt');
    const list = (await app.gql(LIST)).data.apiKeys.map((k: any) => k.name);
    assert.equal(list.includes('ci-past') || list.includes('ci-role'), false);
  });

  it('refuses a key once it has expired', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const key = await create({ name: 'ci-expiring', role: 'VIEWER', expiresAt });
    assert.equal((await app.gql(POPS, {}, as(key.secret))).errors, undefined);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 20));
    assert.equal((await app.gql(POPS, {}, as(key.secret))).errors?.[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${key.secret}` } })).status, 401);
  });

  it('records use without a write per request: at most one usage write per second, and counts use per key in /metrics', async () => {
    const key = await create({ name: 'ci-busy', role: 'VIEWER' });
    const writes: number[] = [];
    const query = sql.query.bind(sql);
    (sql as { query: SqlClient['query'] }).query = ((text: string, params?: unknown[]) => {
      if (text.includes('INSERT INTO api_key_usage')) writes.push(Date.now());
      return query(text, params);
    }) as SqlClient['query'];
    try {
      const started = Date.now();
      let requests = 0;
      // At least 40 requests over at least 2.1 s: on a loaded machine (CI runs lanes side by side) 40 can take longer.
      while (Date.now() - started < 2100 || requests < 40) {
        await Promise.all(Array.from({ length: 10 }, () => app.gql(POPS, {}, as(key.secret))));
        requests += 10;
      }
      // At most one write per flush tick (1 s): ceil(seconds) + 1, so 4 over 2.1 s.
      const seconds = Math.ceil((Date.now() - started) / 1000);
      assert.ok(writes.length >= 1 && writes.length <= seconds + 1, `${writes.length} usage writes for ${requests} requests in ${seconds} s`);
    } finally {
      (sql as { query: SqlClient['query'] }).query = query;
    }
    const { rows } = await sql.query<{ last_used_at: Date }>('SELECT last_used_at FROM api_key_usage WHERE name = $1', ['ci-busy']);
    assert.equal(rows.length, 1);
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).text();
    const used = Number(/^popledger_api_key_requests_total\{key="ci-busy"\} (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(used >= 40, `popledger_api_key_requests_total for ci-busy: ${used}`);
  });
});
