import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyProjected, EUR, physicalPopSetup } from '../support/fixtures';
import { keptAnswerOutcomes, rawAnswer, RawAnswer as Raw } from '../support/kept-answers';
import { KEYS, PATIENT_READS, startTestApp, TestApp } from '../support/test-app';

const USD = (amount: string) => ({ amount, currency: 'USD' });
const SUMMARY = `query Summary($groupBy: CostGroupBy!, $asOf: DateTime, $currency: String) {
  costSummary(groupBy: $groupBy, asOf: $asOf, currency: $currency) { key popCount monthlyRecurring { amount currency } converted { amount currency } } }`;
/** The same question in another text: a key of its own, so always answered by the uncached path first. */
const SUMMARY_TWIN = `${SUMMARY} `;

/**
 * costSummary's answers kept as bytes (kept-answer-bytes.util.ts): a repeated request is sent the bytes
 * written from the same kept summary, only behind the key check and the role check, and only while that
 * summary holds.
 */
describe('costSummary answers kept as bytes', () => {
  let app: TestApp;

  const raw = (query: string, variables: Record<string, unknown>, secret = KEYS.viewer) => rawAnswer(app.url, secret, { query, variables, operationName: 'Summary' });
  const outcomes = () => keptAnswerOutcomes(app);

  /**
   * Asks three times (at least the later two sent from kept bytes), then the twin text (written anew): all
   * the same bytes. Returns the answer and whether the first was written anew (not sent from kept bytes).
   */
  async function settled(variables: Record<string, unknown>): Promise<Raw & { written: boolean }> {
    const before = await outcomes();
    const first = await raw(SUMMARY, variables);
    assert.equal(first.status, 200);
    assert.equal(JSON.parse(first.body).errors, undefined, first.body);
    assert.deepEqual(await raw(SUMMARY, variables), first);
    assert.deepEqual(await raw(SUMMARY, variables), first);
    assert.deepEqual(await raw(SUMMARY_TWIN, variables), first);
    const after = await outcomes();
    assert.equal(after.sent - before.sent + after.kept - before.kept, 4);
    assert.ok(after.sent - before.sent >= 2, 'the repeated requests are sent the kept bytes');
    return { ...first, written: after.kept - before.kept === 2 };
  }

  const ok = (name: string, input: Record<string, unknown>) => applyProjected(app, name, input);

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    for (const [name, input] of [...physicalPopSetup('fra1'), ...physicalPopSetup('ams1')]) await ok(name, input);
    await ok('setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.9' }], effectiveAt: '2026-01-01T00:00:00Z' });
  });
  after(() => app.close());

  it('sends the uncached answer\'s bytes, for every grouping and currency', async () => {
    for (const groupBy of ['POP', 'COUNTRY', 'REGION', 'CATEGORY']) {
      for (const currency of ['EUR', null]) {
        const answer = JSON.parse((await settled({ groupBy, currency })).body);
        assert.ok(answer.data.costSummary.length > 0, `${groupBy} ${currency}`);
      }
    }
  });

  it('answers anew after a cost event and after an FX event', async () => {
    const variables = { groupBy: 'POP', currency: 'EUR' };
    const before = await settled(variables);
    await ok('connectCarrier', {
      popId: 'fra1', circuitId: 'c1', carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 10000,
      monthlyCost: USD('1000'), oneOffCost: USD('0'), effectiveAt: '2026-01-15T00:00:00Z',
    });
    const afterCost = await settled(variables);
    assert.equal(afterCost.written, true);
    assert.notEqual(afterCost.body, before.body);
    const fra1 = (answer: Raw) => JSON.parse(answer.body).data.costSummary.find((group: { key: string }) => group.key === 'fra1');
    assert.deepEqual(fra1(afterCost).converted, EUR('10900.00'));
    await ok('setExchangeRates', { base: 'EUR', rates: [{ currency: 'USD', toBase: '0.5' }], effectiveAt: '2026-01-02T00:00:00Z' });
    const afterFx = await settled(variables);
    assert.equal(afterFx.written, true);
    assert.deepEqual(fra1(afterFx).converted, EUR('10500.00'));
  });

  it('answers asOf given and asOf now each with its own bytes', async () => {
    const now = JSON.parse((await settled({ groupBy: 'COUNTRY', currency: 'EUR' })).body).data.costSummary;
    const before = JSON.parse((await settled({ groupBy: 'COUNTRY', currency: 'EUR', asOf: '2025-12-31T00:00:00Z' })).body).data.costSummary;
    assert.notDeepEqual(before, now);
    assert.deepEqual(before.map((group: { converted: unknown }) => group.converted), [EUR('0.00')]);
  });

  it('checks the role on every request: a role without cost access is refused what another role has kept', async () => {
    const variables = { groupBy: 'REGION', currency: null };
    const { status, contentType, body } = await settled(variables);
    const before = await outcomes();
    assert.deepEqual(await raw(SUMMARY, variables, KEYS.planner), { status, contentType, body });
    assert.equal((await outcomes()).kept, before.kept + 1, 'another role: bytes of its own');
    const refused = await raw(SUMMARY, variables, KEYS.procurement);
    assert.equal(JSON.parse(refused.body).errors[0].extensions.code, 'FORBIDDEN');
    assert.deepEqual(await outcomes(), { sent: before.sent, kept: before.kept + 1 });
  });

  it('refuses a revoked key though its answer is kept', async () => {
    const created = await app.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: 'bytes', role: 'VIEWER' } });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const secret = created.data.createApiKey.secret as string;
    const variables = { groupBy: 'CATEGORY', currency: 'EUR' };
    const first = await raw(SUMMARY, variables, secret);
    assert.equal(first.status, 200);
    const before = await outcomes();
    assert.deepEqual(await raw(SUMMARY, variables, secret), first);
    assert.equal((await outcomes()).sent, before.sent + 1);
    const revoked = await app.gql('mutation { revokeApiKey(input: { name: "bytes" }) { revokedAt } }');
    assert.equal(revoked.errors, undefined, JSON.stringify(revoked.errors));
    const refused = await raw(SUMMARY, variables, secret);
    assert.equal(refused.status, 401);
    assert.equal(JSON.parse(refused.body).errors[0].extensions.code, 'UNAUTHENTICATED');
  });
});
