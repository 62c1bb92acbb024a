import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RAW_ANSWER_SECURITY_HEADERS } from '../../../src/platform/api/http/security-headers.config';
import { SQL_CLIENT, SqlClient } from '../../../src/platform/database/sql-client.port';
import { KEYS, startTestApp, TestApp } from '../../support/test-app';

const INTROSPECTION = '{ __schema { types { name } } }';
/** Signs of a stack trace or an internal path in an answer. */
const LEAKS = [/\bat [\w.<>]+ \(/, /\/work\//, /node_modules/, /\.js:\d+/, /dist\/src/, /\brelation\b/, /\brm_[a-z_]+/, /\bstack\b/i];

function assertNoLeak(text: string, what: string): void {
  for (const leak of LEAKS) assert.equal(leak.test(text), false, `${what} reveals ${leak}: ${text.slice(0, 300)}`);
}

function assertSecurityHeaders(headers: Headers, what: string): void {
  for (const [name, value] of Object.entries(RAW_ANSWER_SECURITY_HEADERS)) {
    if (name === 'content-security-policy') assert.ok(headers.get(name), `${what}: no ${name}`);
    else assert.equal(headers.get(name), value, `${what}: ${name}`);
  }
  assert.equal(headers.get('x-powered-by'), null, what);
}

describe('HTTP security (docs/api.md, "Access", "Limits", "Errors")', () => {
  let app: TestApp;
  const auth = { authorization: `Bearer ${KEYS.admin}` };
  before(async () => {
    // fatal: the internal errors provoked below are logged (only logged), and need not fill the test output.
    app = await startTestApp({}, { LOG_LEVEL: 'fatal' });
  });
  after(() => app.close());

  describe('no GraphQL operation without a key, introspection included', () => {
    const post = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    const get = (query: string, headers: Record<string, string> = {}) => fetch(`${app.url}/graphql?query=${encodeURIComponent(query)}`, { headers });

    for (const query of [INTROSPECTION, '{ __typename }', '{ __type(name: "Query") { name } }', '{ pops(first: 1) { totalCount } }']) {
      it(`refuses ${query} over POST and GET without a key, or with a wrong one (UNAUTHENTICATED, 401)`, async () => {
        for (const send of [post, get]) {
          for (const headers of [{}, { authorization: 'Bearer wrong-key-0123456789' }, { authorization: `Basic ${KEYS.admin}` }] as Array<Record<string, string>>) {
            const response = await send(query, headers);
            const body = (await response.json()) as { data: unknown; errors: Array<{ extensions: { code: string } }> };
            assert.equal(response.status, 401, `${send === post ? 'POST' : 'GET'} ${JSON.stringify(headers)}`);
            assert.equal(body.data, null);
            assert.deepEqual(body.errors.map((e) => e.extensions.code), ['UNAUTHENTICATED']);
            assert.equal(JSON.stringify(body).includes('"__schema"') || JSON.stringify(body).includes('Query'), false);
          }
        }
      });
    }

    it('answers introspection with a key of any role', async () => {
      for (const role of ['admin', 'viewer'] as const) {
        const viaPost = (await (await post(INTROSPECTION, { authorization: `Bearer ${KEYS[role]}` })).json()) as any;
        assert.ok(viaPost.data.__schema.types.length > 10);
        const viaGet = (await (await get('{ __typename }', { authorization: `Bearer ${KEYS[role]}` })).json()) as any;
        assert.deepEqual(viaGet.data, { __typename: 'Query' });
      }
    });

    for (const page of ['graphiql', 'console']) {
      it(`serves the ${page} page with no key, every asset from the service itself (no other host), hashed assets cached for a year`, async () => {
        if (page === 'graphiql') {
          const redirect = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });
          assert.equal(redirect.status, 302);
          assert.equal(redirect.headers.get('location'), '/graphiql');
        }
        const response = await fetch(`${app.url}/${page}`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /text\/html/);
        assert.equal(response.headers.get('cache-control'), 'no-cache');
        const html = await response.text();
        const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
        assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), html);
        const csp = response.headers.get('content-security-policy') ?? '';
        const directive = (name: string) => (csp.split(';').find((d) => d.startsWith(`${name} `)) ?? '').split(' ').slice(1);
        for (const name of ['default-src', 'script-src', 'style-src', 'connect-src', 'img-src', 'font-src']) {
          assert.ok(directive(name).length > 0 && directive(name).every((source) => !/^https?:|^\*|^[a-z0-9.-]+\.[a-z]{2,}/i.test(source)), `${name} allows no other host: ${csp}`);
        }
        assert.deepEqual(directive('frame-ancestors'), ["'none'"]);
        assert.deepEqual(directive('script-src'), ["'self'"], 'scripts from the service only, no inline script, no eval');
        for (const asset of assets) {
          assert.match(asset, new RegExp(`^/${page}/assets/[\\w.-]+-[A-Z0-9]{8}\\.(js|css)$`), 'a local, content-hashed asset');
          const file = await fetch(`${app.url}${asset}`);
          assert.equal(file.status, 200, asset);
          assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
          const text = await file.text();
          // Code that loads from another host names it as a URL in a string: a script, stylesheet, font or fetch.
          const external = [...text.matchAll(/["'`(]((?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^"'`)\s]*)/gi)].map((m) => m[1])
            .filter((url) => /\.(js|mjs|css|woff2?|ttf|json)([?#]|$)/i.test(url) || /^(?:https?:)?\/\/[^/]*(unpkg|jsdelivr|cdn|esm\.sh)/i.test(url));
          assert.deepEqual(external, [], `${asset} loads nothing from another host`);
        }
        assert.equal((await fetch(`${app.url}/${page}/assets/no-such-file.js`)).status, 404);
      });
    }
  });

  it('sets the security headers on every answer: success, errors, REST, GraphQL, unknown routes, /health', async () => {
    const answers: Array<[string, Response]> = [
      ['GraphQL 200', await fetch(`${app.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })],
      ['GraphQL 401', await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })],
      ['GraphQL 400', await fetch(`${app.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"query": ' })],
      ['REST 200', await fetch(`${app.url}/metrics`, { headers: auth })],
      ['REST 401', await fetch(`${app.url}/metrics`)],
      ['REST 403', await fetch(`${app.url}/reports/residency.json`, { headers: { authorization: `Bearer ${KEYS.procurement}` } })],
      ['REST 404', await fetch(`${app.url}/no/such/route`, { headers: auth })],
      ['health', await fetch(`${app.url}/health`)],
      ['webhook 400', await fetch(`${app.url}/integrations/procurement/records`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"records": 3}' })],
    ];
    for (const [what, response] of answers) {
      assertSecurityHeaders(response.headers, what);
      assert.equal(response.headers.get('content-security-policy'), RAW_ANSWER_SECURITY_HEADERS['content-security-policy'], what);
      assertNoLeak(await response.text(), what);
    }
  });

  it('answers internal errors without a stack trace, an internal path or the cause (GraphQL and REST)', async () => {
    const sql = app.app.get<SqlClient>(SQL_CLIENT);
    await sql.query('ALTER TABLE rm_pop RENAME TO rm_pop_hidden');
    await sql.query('ALTER TABLE rm_res_placement RENAME TO rm_res_placement_hidden');
    try {
      const graphql = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ pops(first: 1) { totalCount } }' }) });
      const graphqlText = await graphql.text();
      const body = JSON.parse(graphqlText);
      assert.equal(body.errors[0].extensions.code, 'INTERNAL_SERVER_ERROR');
      assert.equal(body.errors[0].message, 'Internal error');
      assertNoLeak(graphqlText, 'GraphQL internal error');
      assertSecurityHeaders(graphql.headers, 'GraphQL internal error');

      const rest = await fetch(`${app.url}/reports/residency.json`, { headers: auth });
      const restText = await rest.text();
      assert.equal(rest.status, 500);
      assert.equal(rest.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.deepEqual(JSON.parse(restText), { type: 'https://pop-ledger.dev/problems/internal-server-error', title: 'INTERNAL_SERVER_ERROR', status: 500, detail: 'Internal error', code: 'INTERNAL_SERVER_ERROR' });
      assertNoLeak(restText, 'REST internal error');
      assertSecurityHeaders(rest.headers, 'REST internal error');
    } finally {
      await sql.query('ALTER TABLE rm_pop_hidden RENAME TO rm_pop');
      await sql.query('ALTER TABLE rm_res_placement_hidden RENAME TO rm_res_placement');
    }
  });

  it('refuses a body over 5 MB (413) and a request line with headers over 16 KB (431), with the same headers and no trace', async () => {
    const big = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(5 * 1024 * 1024)}` }) });
    assert.equal(big.status, 413);
    assertSecurityHeaders(big.headers, '413');
    assertNoLeak(await big.text(), '413');

    const longQuery = await rawGet(app.url, `/graphql?query=${encodeURIComponent(`{ __typename } #${'x'.repeat(17 * 1024)}`)}`, auth);
    assert.equal(longQuery.status, 431);
    assert.equal(longQuery.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(JSON.parse(longQuery.body).code, 'BAD_USER_INPUT');
    for (const [name, value] of Object.entries(RAW_ANSWER_SECURITY_HEADERS)) assert.equal(longQuery.headers[name], value, `431: ${name}`);

    const garbage = await rawSocket(app.url, 'NOT A REQUEST\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(garbage, /x-content-type-options: nosniff/);
  });

  it('lists the same security headers for answers written before a request exists as helmet sets', async () => {
    const response = await fetch(`${app.url}/health/live`);
    const actual = Object.fromEntries(Object.keys(RAW_ANSWER_SECURITY_HEADERS).map((name) => [name, response.headers.get(name)]));
    assert.deepEqual(actual, RAW_ANSWER_SECURITY_HEADERS);
  });
});

function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers, maxHeaderSize: 64 * 1024 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function rawSocket(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
