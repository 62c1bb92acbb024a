import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphql } from '../support/service-client';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { createServiceStorage, type ServiceStorage } from '../support/service-storage';
import { API_KEYS, KEYS } from '../support/test-app';

const databaseUrl = process.env.DATABASE_URL;
const POPS = '{ pops(first: 1) { totalCount } }';
/** The contract: a revoked or expired key is refused on every instance within a second. */
const WITHIN_MS = 1000;

/** Polls until `done` answers true; the milliseconds that took from `since` (Infinity past `limitMs`). */
async function until(since: number, limitMs: number, done: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await done()) return Date.now() - since;
    if (Date.now() - since > limitMs) return Infinity;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const works = (url: string, secret: string) => async () => (await graphql(url, secret, POPS)).data?.pops !== undefined;
const refused = (url: string, secret: string) => async () => (await graphql(url, secret, POPS)).errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';

describe('stored API keys on two instances sharing one PostgreSQL server', { skip: databaseUrl ? false : 'needs DATABASE_URL (a PostgreSQL server)', timeout: 240_000 }, () => {
  let storage: ServiceStorage;
  let a: ServiceProcess;
  let b: ServiceProcess;

  before(async () => {
    storage = await createServiceStorage('postgres', databaseUrl, 'keys');
    const env = { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '0' };
    [a, b] = await Promise.all([startServiceProcess({ env }), startServiceProcess({ env })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await storage?.dispose();
  });

  const create = async (name: string, expiresAt?: string): Promise<string> => {
    const answer = await graphql(a.url, KEYS.admin, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name, role: 'VIEWER', expiresAt } });
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data?.createApiKey.secret as string;
  };

  it('a key created on one instance works on the other; revoked there, it is refused on both within a second', async (t) => {
    const secret = await create('two-instances');
    const created = Date.now();
    assert.ok((await until(created, WITHIN_MS, works(b.url, secret))) < WITHIN_MS, 'usable on the other instance within a second');

    const sent = Date.now();
    const revoked = await graphql(a.url, KEYS.admin, 'mutation { revokeApiKey(input: { name: "two-instances" }) { revokedAt } }');
    assert.equal(revoked.errors, undefined, JSON.stringify(revoked.errors));
    assert.equal(await refused(a.url, secret)(), true, 'refused at once where it was revoked');
    const elapsed = await until(sent, 5 * WITHIN_MS, refused(b.url, secret));
    assert.ok(elapsed < WITHIN_MS, `refused on the other instance ${elapsed} ms after the revocation was sent`);
    t.diagnostic(`revoked key refused on the other instance ${elapsed} ms after the revocation was sent`);
    // And stays refused.
    for (let i = 0; i < 5; i++) assert.equal(await refused(b.url, secret)(), true);
  });

  it('an expired key is refused on both instances within a second of its expiry', async (t) => {
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const secret = await create('two-expiring', expiresAt);
    assert.ok((await until(Date.now(), WITHIN_MS, works(b.url, secret))) < WITHIN_MS);
    assert.equal(await works(a.url, secret)(), true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now())));
    for (const service of [a, b]) {
      const elapsed = await until(Date.parse(expiresAt), 5 * WITHIN_MS, refused(service.url, secret));
      assert.ok(elapsed < WITHIN_MS, `refused ${elapsed} ms after expiry`);
      t.diagnostic(`expired key refused ${elapsed} ms after its expiry`);
    }
  });

  it('lists the use made of a key on either instance (lastUsedAt)', async () => {
    const secret = await create('two-used');
    assert.ok((await until(Date.now(), WITHIN_MS, works(b.url, secret))) < WITHIN_MS);
    const used = Date.now();
    assert.equal(await works(b.url, secret)(), true);
    await new Promise((resolve) => setTimeout(resolve, 1300)); // b writes its uses once a second
    const list = await graphql<{ apiKeys: Array<{ name: string; lastUsedAt: string | null }> }>(a.url, KEYS.admin, '{ apiKeys { name lastUsedAt } }');
    const listed = list.data?.apiKeys.find((k) => k.name === 'two-used');
    assert.ok(listed?.lastUsedAt && Date.parse(listed.lastUsedAt) >= used - 5, JSON.stringify(listed));
  });
});
