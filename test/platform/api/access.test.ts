import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../src/app/app.factory';
import { ROLES, Role } from '../../../src/platform/api/auth/roles.types';
import { loadConfig } from '../../../src/platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../../src/platform/database/sql-client.port';
import { createTestStorage, KEYS, startTestApp, TestApp } from '../../support/test-app';

/** One representative operation per access rule of docs/api.md, "Access", with the roles it allows. */
const GRAPHQL_OPERATIONS: Array<{ name: string; query: string; allowed: Role[] }> = [
  {
    name: 'inventory mutation (registerPop)',
    query: 'mutation { registerPop(input: { popId: "acc-$ROLE", code: "ACC", name: "n", kind: VIRTUAL, operatorModel: CLOUD, countryCode: "DE" }) { streamId } }',
    allowed: ['admin', 'planner', 'procurement'],
  },
  {
    name: 'workload mutation (registerWorkload)',
    query: 'mutation { registerWorkload(input: { workloadId: "w-$ROLE", tenant: "t", name: "n", dataCategories: [PUBLIC] }) { streamId } }',
    allowed: ['admin', 'planner'],
  },
  {
    name: 'FX mutation (setExchangeRates)',
    query: 'mutation { setExchangeRates(input: { base: "EUR", rates: [{ currency: "USD", toBase: "0.9" }] }) { streamId } }',
    allowed: ['admin'],
  },
  { name: 'projectionStatus', query: '{ projectionStatus { name } }', allowed: ['admin', 'planner', 'procurement', 'compliance', 'viewer'] },
  { name: 'history', query: '{ history(streamId: "fx-rates", first: 0) { totalCount } }', allowed: ['admin', 'planner', 'compliance'] },
  { name: 'createApiKey', query: 'mutation { createApiKey(input: { name: "acc-$ROLE", role: VIEWER }) { name } }', allowed: ['admin'] },
  { name: 'revokeApiKey', query: 'mutation { revokeApiKey(input: { name: "acc-revocable-$ROLE" }) { name } }', allowed: ['admin'] },
  { name: 'apiKeys', query: '{ apiKeys { name } }', allowed: ['admin'] },
];

describe('access control (docs/api.md, "Access")', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    // history needs the stream to exist; revokeApiKey a key to revoke
    await app.gql('mutation { setExchangeRates(input: { base: "EUR", rates: [{ currency: "GBP", toBase: "1.1" }] }) { streamId } }');
    for (const role of ROLES) await app.gql(`mutation { createApiKey(input: { name: "acc-revocable-${role}", role: VIEWER }) { name } }`);
  });
  after(() => app.close());

  for (const op of GRAPHQL_OPERATIONS) {
    it(`${op.name}: allowed ${op.allowed.join(', ')}; FORBIDDEN for the others; UNAUTHENTICATED without or with a wrong key`, async () => {
      for (const role of ROLES) {
        const response = await app.gql(op.query.replace('$ROLE', role), {}, role);
        const code = response.errors?.[0]?.extensions.code;
        if (op.allowed.includes(role)) assert.equal(code, undefined, `${role}: ${JSON.stringify(response.errors)}`);
        else assert.equal(code, 'FORBIDDEN', `${role} should be refused`);
      }
      assert.equal((await app.gql(op.query, {}, {})).errors?.[0].extensions.code, 'UNAUTHENTICATED');
      assert.equal((await app.gql(op.query, {}, { header: `Bearer ${KEYS.admin}x` })).errors?.[0].extensions.code, 'UNAUTHENTICATED');
      assert.equal((await app.gql(op.query, {}, { header: `Basic ${KEYS.admin}` })).errors?.[0].extensions.code, 'UNAUTHENTICATED');
    });
  }

  it('REST: /metrics needs a key (401) and /health does not', async () => {
    assert.equal((await fetch(`${app.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    for (const role of ROLES) {
      const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${KEYS[role]}` } });
      assert.equal(response.status, 200, role);
      assert.match(await response.text(), /popledger_events_appended_total/);
    }
    const health = await fetch(`${app.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
  });

  it('REST errors are problem details without stack traces', async () => {
    const response = await fetch(`${app.url}/no/such/route`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.code, 'NOT_FOUND');
    assert.equal(body.status, 404);
    assert.equal(JSON.stringify(body).includes(' at '), false);
  });

  it('GraphQL: malformed JSON is 400 and oversize or too-deep/too-wide queries are refused', async () => {
    const bad = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` }, body: '{"query": ' });
    assert.equal(bad.status, 400);
    const wide = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: projectionStatus { name }`).join(' ')} }`;
    const response = await app.gql(wide);
    assert.equal(response.status, 400);
    assert.equal(response.errors?.[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(response.errors?.[0].message ?? '', /Query too large/);
  });

  it('GraphQL: query text that is JSON (which Mercurius would take for a parsed document) is a 400 syntax error, not an internal error', async () => {
    for (const query of ['42', '[1]', '{"kind":"Document","definitions":[]}', '"text"']) {
      const response = await app.gql(query);
      assert.equal(response.status, 400, query);
      assert.deepEqual(response.errors?.map((e) => e.extensions.code), ['BAD_USER_INPUT'], query);
    }
    const asGraphqlBody = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/graphql', authorization: `Bearer ${KEYS.admin}` }, body: '{"query":"{ __typename }"}' });
    assert.equal(asGraphqlBody.status, 400);
  });
});

describe('first start without API_KEYS', () => {
  it('creates one admin key, prints it once, stores only its hash, and accepts it', async () => {
    const printed: string[] = [];
    const app = await createApp(loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'warn' }), (line) => printed.push(line));
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      assert.equal(printed.length, 1);
      const secret = /Bearer (\S+)"/.exec(printed[0])?.[1] as string;
      assert.ok(secret.length > 20);
      const { port } = app.getHttpServer().address() as { port: number };
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(ok.status, 200);
      const sql = app.get<SqlClient>(SQL_CLIENT);
      const { rows } = await sql.query<{ name: string; secret_hash: Uint8Array }>('SELECT name, secret_hash FROM api_keys');
      assert.equal(rows.length, 1);
      assert.equal(Buffer.from(rows[0].secret_hash).toString('utf8').includes(secret), false);
    } finally {
      await app.close();
    }
  });
});

describe('first start without API_KEYS, with a data directory', () => {
  it('saves the key in DATA_DIR/admin-key.txt (mode 0600), keeps it across restarts, and manages it like any stored key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pop-ledger-first-key-'));
    const storage = await createTestStorage({ persistent: true });
    // The file goes to DATA_DIR also when the data live on a PostgreSQL server.
    const env = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_SECOND: '0', ...storage.env, DATA_DIR: storage.env.DATA_DIR ?? dir };
    const file = join(env.DATA_DIR, 'admin-key.txt');
    const start = async (printed: string[]) => {
      const app = await createApp(loadConfig(env, storage.overrides), (line) => printed.push(line));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      const gql = async (secret: string, query: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify({ query }) });
        return (await response.json()) as { data: any; errors?: Array<{ extensions: { code: string } }> };
      };
      return { app, gql };
    };
    try {
      const printed: string[] = [];
      const first = await start(printed);
      let secret: string;
      try {
        assert.equal(printed.length, 1);
        secret = /Bearer (\S+)"/.exec(printed[0])?.[1] as string;
        assert.ok(printed[0].includes(file), printed[0]);
        assert.equal(await readFile(file, 'utf8'), `${secret}\n`);
        assert.equal((await stat(file)).mode & 0o777, 0o600);
        // The first-start key is recorded while the service starts; the list answers once its projection has it.
        let keys = await first.gql(secret, '{ apiKeys { name role source createdAt revokedAt } }');
        for (let tries = 0; keys.data?.apiKeys?.length === 0 && tries < 100; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          keys = await first.gql(secret, '{ apiKeys { name role source createdAt revokedAt } }');
        }
        assert.deepEqual(keys.data.apiKeys.map((k: any) => [k.name, k.role, k.source, k.revokedAt]), [['admin', 'ADMIN', 'STORED', null]]);
        const history = await first.gql(secret, '{ history(streamId: "apikeys") { edges { node { type actor source data } } } }');
        assert.deepEqual(history.data.history.edges.map((e: any) => e.node), [
          { type: 'ApiKeyCreated', actor: 'system', source: 'system', data: { name: 'admin', role: 'admin', expiresAt: null } },
        ]);
      } finally {
        await first.app.close();
      }

      const again: string[] = [];
      const second = await start(again);
      try {
        assert.deepEqual(again, [], 'no second key on restart');
        assert.equal(await readFile(file, 'utf8'), `${secret}\n`);
        assert.equal((await second.gql(secret, '{ apiKeys { name } }')).data.apiKeys.length, 1, 'taken over once');
        // The first-start key can be replaced: create another admin key, then revoke the first one.
        const created = await second.gql(secret, 'mutation { createApiKey(input: { name: "ops", role: ADMIN }) { secret } }');
        const ops = created.data.createApiKey.secret as string;
        assert.equal((await second.gql(ops, 'mutation { revokeApiKey(input: { name: "admin" }) { revokedAt } }')).errors, undefined);
        assert.equal((await second.gql(secret, '{ apiKeys { name } }')).errors?.[0].extensions.code, 'UNAUTHENTICATED');
        assert.equal((await second.gql(ops, '{ apiKeys { name } }')).data.apiKeys.length, 2);
      } finally {
        await second.app.close();
      }
    } finally {
      await storage.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
