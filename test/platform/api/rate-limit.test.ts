import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Role } from '../../../src/platform/api/auth/roles.types';
import { KEYS, startTestApp, TestApp } from '../../support/test-app';

const LIMIT = 20;
/** Requests that may slip past the limit (none expected: the counter is in process). */
const TOLERANCE = 2;

interface Hit {
  status: number;
  retryAfter: string | null;
  body: any;
}

/**
 * Sends `n` requests at once and checks what a sliding one-second window allows: at most LIMIT answered
 * per started second the burst took (exactly LIMIT when it took under one, the usual case), every other
 * one refused with 429. A loaded machine may spread a burst over more than a second; the window
 * arithmetic itself is proven without a clock in sliding-window-store.test.ts.
 */
async function burst<H extends { status: number }>(n: number, send: () => Promise<H>, okStatus = 200): Promise<{ hits: H[]; ok: number; refused: H[] }> {
  const started = performance.now();
  const hits = await Promise.all(Array.from({ length: n }, send));
  const seconds = Math.ceil((performance.now() - started) / 1000);
  const ok = hits.filter((h) => h.status === okStatus).length;
  const refused = hits.filter((h) => h.status === 429);
  assert.equal(ok + refused.length, n, 'every request was answered or refused');
  if (seconds <= 1) assert.equal(ok, LIMIT, `${ok} answered in under a second`);
  else assert.ok(ok <= LIMIT * seconds, `${ok} answered in ${seconds} s`);
  return { hits, ok, refused };
}

/** 429s seen per key, to compare with /metrics. */
const seenRefused = { procurement: 0, anonymous: 0 };

describe(`per-key rate limit (RATE_LIMIT_PER_SECOND=${LIMIT})`, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({}, { RATE_LIMIT_PER_SECOND: String(LIMIT) });
  });
  after(() => app.close());

  const graphql = async (role: Role | undefined, method: 'POST' | 'GET' = 'POST'): Promise<Hit> => {
    const headers: Record<string, string> = role ? { authorization: `Bearer ${KEYS[role]}` } : {};
    const response =
      method === 'POST'
        ? await fetch(`${app.url}/graphql`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) })
        : await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  };
  const rest = async (role: Role | undefined, path: string, init: RequestInit = {}): Promise<Hit> => {
    const response = await fetch(`${app.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(role ? { authorization: `Bearer ${KEYS[role]}` } : {}) } });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text.startsWith('{') ? JSON.parse(text) : text };
  };

  /** 16 clients with the admin key for 0.9 s; meanwhile the planner key asks now and then. */
  const burstWithBystander = async () => {
    const started = Date.now();
    const hits: Hit[] = [];
    const others: Hit[] = [];
    await Promise.all([
      ...Array.from({ length: 16 }, async () => {
        while (Date.now() - started < 900) hits.push(await graphql('admin'));
      }),
      (async () => {
        while (Date.now() - started < 900) {
          others.push(await graphql('planner'));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })(),
    ]);
    return { hits, others };
  };

  it('holds across a burst of 16 concurrent clients with one key, in any second (not per fixed window), and another key is not affected', async () => {
    // Five requests half a second before the burst: a fixed window opened by them would let the burst
    // have LIMIT - 5 now and LIMIT more once it closed; a sliding second lets at most LIMIT through.
    // A loaded machine may not send enough requests in the 0.9 s: then the key's window is let expire and
    // the whole burst runs again (at most three times), since what it checks needs more than LIMIT * 2.
    let hits: Hit[] = [];
    let others: Hit[] = [];
    for (let attempt = 0; attempt < 3 && hits.length <= LIMIT * 2; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
      for (let i = 0; i < 5; i++) assert.equal((await graphql('admin')).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      ({ hits, others } = await burstWithBystander());
    }
    const ok = hits.filter((h) => h.status === 200).length;
    const limited = hits.filter((h) => h.status === 429);
    assert.ok(hits.length > LIMIT * 2, `only ${hits.length} requests`);
    assert.ok(ok <= LIMIT + TOLERANCE, `${ok} answers in under a second with a limit of ${LIMIT}`);
    assert.ok(ok >= LIMIT - 5 - TOLERANCE, `${ok} answers: the limit should let about ${LIMIT} through`);
    assert.equal(limited.length, hits.length - ok);
    for (const hit of limited) {
      assert.deepEqual(hit.body.errors[0].extensions, { code: 'RATE_LIMITED', retryAfterSeconds: Number(hit.retryAfter) });
      assert.equal(hit.body.data, null);
      assert.equal(hit.retryAfter, '1');
    }
    assert.ok(others.length >= 1);
    assert.deepEqual(others.map((h) => h.status), others.map(() => 200), 'the planner key is not limited by the admin key');
  });

  it('GraphQL over GET is limited the same way', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the admin key's window of the burst above is over
    const { refused: limited } = await burst(LIMIT * 3, () => graphql('admin', 'GET'));
    assert.ok(limited.length > 0, 'GET requests were limited');
    assert.equal(limited[0].body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.ok(Number(limited[0].retryAfter) >= 1);
  });

  it('REST: 429 problem details with Retry-After, /reports and the procurement webhook counted, /health not', async () => {
    const reports = await burst(LIMIT * 3, () => rest('compliance', '/reports/residency.json'));
    const refused = reports.refused[0];
    assert.ok(refused, 'a report request was limited');
    assert.equal(refused.body.code, 'RATE_LIMITED');
    assert.equal(refused.body.title, 'RATE_LIMITED');
    assert.equal(refused.body.status, 429);
    assert.match(refused.body.type, /\/problems\/rate-limited$/);
    assert.ok(Number(refused.retryAfter) >= 1);

    const batch = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [] }) };
    const webhook = await burst(LIMIT * 3, () => rest('procurement', '/integrations/procurement/records', batch));
    assert.ok(webhook.refused.length > 0, 'webhook requests were limited');
    seenRefused.procurement += webhook.refused.length;

    const health = await Promise.all(Array.from({ length: LIMIT * 3 }, () => rest(undefined, '/health/live')));
    assert.deepEqual([...new Set(health.map((h) => h.status))], [200]);
  });

  it('limits requests without a valid key per client address, and counts refusals per key in /metrics', async () => {
    const anonymous = await burst(LIMIT * 3, () => graphql(undefined), 401);
    assert.ok(anonymous.refused.length > 0, 'requests without a key were limited');
    seenRefused.anonymous += anonymous.refused.length;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const metrics = (await rest('viewer', '/metrics')).body as string;
    const refused = (key: string) => Number(new RegExp(`^popledger_rate_limited_total\\{key="${key}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.ok(refused('admin') > 0, metrics);
    assert.equal(refused('procurement'), seenRefused.procurement);
    assert.equal(refused('anonymous'), seenRefused.anonymous);
    assert.equal(refused('planner'), 0);
  });

  it('counts rack elevations like every other endpoint', async () => {
    // A PoP that does not exist: 404 within the limit, 429 past it.
    const elevations = await burst(LIMIT * 3, () => rest('planner', '/pops/nowhere/racks/r1/elevation.svg'), 404);
    assert.ok(elevations.refused.length > 0, 'elevation requests were limited');
    assert.equal(elevations.refused[0].body.code, 'RATE_LIMITED');
  });
});

describe('rate limit off (RATE_LIMIT_PER_SECOND=0)', () => {
  it('lets every request through', async () => {
    const app = await startTestApp({}, { RATE_LIMIT_PER_SECOND: '0' });
    try {
      const answers = await Promise.all(Array.from({ length: 150 }, () => app.gql('{ __typename }')));
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    } finally {
      await app.close();
    }
  });
});
