import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyProjected, physicalPopSetup } from '../support/fixtures';
import { keptAnswerOutcomes, rawAnswer } from '../support/kept-answers';
import { KEYS, PATIENT_READS, startTestApp, TestApp } from '../support/test-app';

const FIND = `query Find($need: CapacityNeedInput!) { findCapacity(need: $need) {
  popId code countryCode overall space { freeU totalU } power { headroomKw redundant } network { headroomMbps } } }`;
/** The same question in another text: a selection of its own, so its items' texts are written anew. */
const FIND_TWIN = `${FIND} `;

/**
 * findCapacity's kept PoPs sent as the JSON texts written from them (keptItemList, kept-answer-bytes.util.ts):
 * a list filtered anew per request is assembled from its items' kept texts once each was written for the
 * same selection; the bytes are those of the uncached answer.
 */
describe('findCapacity answers assembled from kept item texts', () => {
  let app: TestApp;

  const raw = (query: string, variables: Record<string, unknown>, secret = KEYS.planner) => rawAnswer(app.url, secret, { query, variables });
  const outcomes = () => keptAnswerOutcomes(app);

  /** The answer sent from kept texts equals the twin text's (written anew); returns it, parsed. */
  async function sentFromTexts(need: Record<string, unknown>): Promise<Array<{ popId: string }>> {
    const before = await outcomes();
    const answer = await raw(FIND, { need });
    assert.equal((await outcomes()).sent, before.sent + 1, 'sent from the items\' kept texts');
    assert.deepEqual(await raw(FIND_TWIN, { need }), answer);
    assert.equal(answer.status, 200);
    return JSON.parse(answer.body).data.findCapacity;
  }

  const ok = (name: string, input: Record<string, unknown>) => applyProjected(app, name, input);

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    for (const popId of ['fra1', 'ams1', 'par1']) for (const [name, input] of physicalPopSetup(popId)) await ok(name, input);
    await ok('installRack', { popId: 'ams1', rackId: 'r2', effectiveAt: '2026-01-01T00:00:00Z' });
  });
  after(() => app.close());

  it('sends any subset of the network from texts written once per item', async () => {
    const before = await outcomes();
    const all = await raw(FIND, { need: {} });
    assert.equal(JSON.parse(all.body).errors, undefined, all.body);
    assert.deepEqual(await outcomes(), { sent: before.sent, kept: before.kept + 1 });
    assert.deepEqual(await raw(FIND, { need: {} }), all);
    assert.deepEqual((await sentFromTexts({ spaceU: 43 })).map(({ popId }) => popId), ['ams1']);
    assert.deepEqual((await sentFromTexts({ spaceU: 1 })).map(({ popId }) => popId), ['ams1', 'fra1', 'par1']);
    assert.deepEqual(JSON.parse((await raw(FIND, { need: { spaceU: 1000 } })).body), { data: { findCapacity: [] } });
  });

  it('answers anew after the network changes', async () => {
    await sentFromTexts({ spaceU: 1 });
    await ok('installRack', { popId: 'par1', rackId: 'r2', effectiveAt: '2026-01-02T00:00:00Z' });
    const before = await outcomes();
    const answer = JSON.parse((await raw(FIND, { need: { spaceU: 1 } })).body).data.findCapacity;
    assert.equal((await outcomes()).sent, before.sent, 'a new kept network: its PoPs written anew');
    assert.deepEqual(answer.map(({ popId }: { popId: string }) => popId), ['ams1', 'par1', 'fra1']);
    assert.deepEqual(await sentFromTexts({ spaceU: 1 }), answer);
  });

  it('leaves out selections with asOf, variables or directives, and keeps texts per role', async () => {
    const before = await outcomes();
    const withAsOf = `query($need: CapacityNeedInput!) { findCapacity(need: $need) { popId asOf } }`;
    const first = JSON.parse((await raw(withAsOf, { need: {} })).body).data.findCapacity;
    const second = JSON.parse((await raw(withAsOf, { need: {} })).body).data.findCapacity;
    assert.notEqual(first[0].asOf, second[0].asOf, 'asOf is now, per request');
    const included = `query($need: CapacityNeedInput!, $racks: Boolean!) { findCapacity(need: $need) { popId space { freeU racks @include(if: $racks) { rackId } } } }`;
    for (const racks of [false, false, true]) {
      const answer = JSON.parse((await raw(included, { need: {}, racks })).body).data.findCapacity;
      assert.equal('racks' in answer[0].space, racks);
    }
    assert.deepEqual(await outcomes(), before);
    const viewer = await raw(FIND, { need: {} }, KEYS.viewer);
    assert.deepEqual(await outcomes(), { sent: before.sent, kept: before.kept + 1 }, 'another role: texts of its own');
    assert.deepEqual(await raw(FIND, { need: {} }, KEYS.viewer), viewer);
    assert.deepEqual(viewer, await raw(FIND, { need: {} }));
  });
});
