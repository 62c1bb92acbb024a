import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commandIdOf } from '../../src/procurement/write/procurement-record.input';
import { signBody } from '../../src/procurement/write/webhook-signature.util';
import { PATIENT_READS, startTestApp, TestApp } from '../support/test-app';
import { history, postRecords, registerPop, setUpSamplePop, UUID } from './procurement-client';

const circuit = (externalId: string, popId: string, circuitId: string) => ({
  externalId,
  kind: 'CIRCUIT_DELIVERED',
  occurredAt: '2026-01-19T10:00:00+01:00',
  popId,
  circuitId,
  carrier: 'Lumen',
  type: 'TRANSIT',
  bandwidthMbps: 10000,
  monthlyCost: { amount: '2400.00', currency: 'EUR' },
});


const problem = (code: string) => ({ status: code === 'PAYLOAD_TOO_LARGE' ? 413 : code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 400, code });

describe('POST /integrations/procurement/records', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    await setUpSamplePop(app);
    await registerPop(app, 'ams1');
  });
  after(() => app.close());

  it('answers each record of a mixed batch in input order; one bad record blocks nothing', async () => {
    const before = await history(app, 'pop-fra1');
    const records = [
      circuit('MIX-1', 'fra1', 'FRA1-MIX-1'),
      { externalId: 'MIX-2', kind: 'DEVICE_DELIVERED', occurredAt: '2026-01-22T14:00:00Z', popId: 'fra1', deviceId: 'FRA1-BIG', rackId: 'FRA1-R01', role: 'SERVER', positionU: 42, heightU: 2, powerDrawWatts: 10 },
      { externalId: 'MIX-3', kind: 'POWER_DELIVERED', occurredAt: '2026-01-12T07:00:00Z', popId: 'fra1', feedId: 'F9', rackId: 'FRA1-R01', side: 'C', phase: 'SINGLE', voltage: '230', amperage: 32 },
      { externalId: 'MIX-4', kind: 'RACK_DELIVERED', occurredAt: '2026-01-12T07:00:00Z', popId: 'fra1', rackId: 'FRA1-R09' },
      { externalId: 'MIX-5', kind: 'CIRCUIT_CEASED', occurredAt: '2026-01-26T18:00:00Z', popId: 'nowhere', circuitId: 'C1' },
      circuit('MIX-1', 'fra1', 'FRA1-MIX-1'),
      circuit('MIX-1', 'ams1', 'AMS1-MIX-1'),
      circuit('MIX-8', 'ams1', 'AMS1-MIX-8'),
    ];
    const answer = await postRecords(app.url, { records });
    assert.equal(answer.status, 200);
    const { results, ...counts } = answer.body;
    assert.deepEqual(counts, { accepted: 2, duplicates: 1, rejected: 5, projected: true });
    const [first, , , , , , , last] = results;
    assert.equal(first.eventIds.length, 1);
    assert.match(first.eventIds[0], UUID);
    assert.deepEqual(results, [
      { externalId: 'MIX-1', status: 'accepted', eventIds: first.eventIds },
      {
        externalId: 'MIX-2', status: 'rejected', code: 'RULE_VIOLATION', rule: 'OUT_OF_RACK',
        reason: 'device FRA1-BIG would occupy U42-U43, beyond the 42 U of rack FRA1-R01', eventIds: [],
      },
      {
        externalId: 'MIX-3', status: 'rejected', code: 'BAD_USER_INPUT',
        reason: 'Invalid record: side: side must be one of the following values: A, B; voltage: voltage must not be greater than 1000; voltage: voltage must not be less than 1; voltage: voltage must be a number conforming to the specified constraints',
        fields: [
          { field: 'side', message: 'side must be one of the following values: A, B' },
          { field: 'voltage', message: 'voltage must not be greater than 1000' },
          { field: 'voltage', message: 'voltage must not be less than 1' },
          { field: 'voltage', message: 'voltage must be a number conforming to the specified constraints' },
        ],
        eventIds: [],
      },
      {
        externalId: 'MIX-4', status: 'rejected', code: 'BAD_USER_INPUT',
        reason: 'Invalid record: kind: kind must be one of LEASE_SIGNED, LEASE_ENDED, POWER_DELIVERED, CIRCUIT_DELIVERED, CIRCUIT_CEASED, DEVICE_DELIVERED, got "RACK_DELIVERED"',
        fields: [{ field: 'kind', message: 'kind must be one of LEASE_SIGNED, LEASE_ENDED, POWER_DELIVERED, CIRCUIT_DELIVERED, CIRCUIT_CEASED, DEVICE_DELIVERED, got "RACK_DELIVERED"' }],
        eventIds: [],
      },
      { externalId: 'MIX-5', status: 'rejected', code: 'NOT_FOUND', reason: 'PoP nowhere does not exist', eventIds: [] },
      { externalId: 'MIX-1', status: 'duplicate', eventIds: first.eventIds },
      {
        externalId: 'MIX-1', status: 'rejected', code: 'BAD_USER_INPUT',
        reason: 'Invalid record: externalId: externalId MIX-1 is already used by record 1 of this batch, for PoP fra1',
        fields: [{ field: 'externalId', message: 'externalId MIX-1 is already used by record 1 of this batch, for PoP fra1' }],
        eventIds: [],
      },
      { externalId: 'MIX-8', status: 'accepted', eventIds: last.eventIds },
    ]);

    const after = await history(app, 'pop-fra1');
    assert.equal(after.totalCount, before.totalCount + 1);
    const event = after.events.at(-1);
    assert.deepEqual(event && { ...event, correlationId: undefined }, {
      eventId: first.eventIds[0],
      type: 'CarrierConnected',
      source: 'procurement',
      actor: 'procurement',
      commandId: commandIdOf('MIX-1'),
      correlationId: undefined,
      effectiveAt: '2026-01-19T09:00:00.000Z',
      data: event?.data,
    });
    assert.match(event?.correlationId ?? '', UUID);
    const ams = await history(app, 'pop-ams1');
    assert.deepEqual(ams.events.map((e) => [e.eventId, e.correlationId]), [
      [ams.events[0].eventId, ams.events[0].correlationId],
      [last.eventIds[0], event?.correlationId],
    ]);
  });

  it('answers a resent batch with duplicates carrying the first eventIds, and appends nothing', async () => {
    const records = [circuit('RE-1', 'fra1', 'FRA1-RE-1'), circuit('RE-2', 'ams1', 'AMS1-RE-2'), circuit('RE-3', 'fra1', 'FRA1-RE-3')];
    const first = await postRecords(app.url, { records });
    assert.deepEqual([first.body.accepted, first.body.duplicates, first.body.rejected], [3, 0, 0]);
    const counts = [(await history(app, 'pop-fra1')).totalCount, (await history(app, 'pop-ams1')).totalCount];

    const again = await postRecords(app.url, { records });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, {
      accepted: 0,
      duplicates: 3,
      rejected: 0,
      projected: true,
      results: first.body.results.map((r: { externalId: string; eventIds: string[] }) => ({ externalId: r.externalId, status: 'duplicate', eventIds: r.eventIds })),
    });
    assert.deepEqual([(await history(app, 'pop-fra1')).totalCount, (await history(app, 'pop-ams1')).totalCount], counts);
  });

  it('appends each record once when the same batch arrives three times at once', async () => {
    const records = Array.from({ length: 30 }, (_, i) => circuit(`CC-${i}`, i % 2 ? 'fra1' : 'ams1', `CC-${i}`));
    const counts = [(await history(app, 'pop-fra1')).totalCount, (await history(app, 'pop-ams1')).totalCount];
    const answers = await Promise.all([1, 2, 3].map(() => postRecords(app.url, { records })));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    assert.equal(answers.reduce((n, a) => n + a.body.accepted, 0), 30);
    assert.equal(answers.reduce((n, a) => n + a.body.duplicates, 0), 60);
    records.forEach((_, i) => {
      const outcomes = answers.map((a) => a.body.results[i]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['accepted', 'duplicate', 'duplicate']);
      assert.deepEqual(outcomes[1].eventIds, outcomes[0].eventIds);
      assert.deepEqual(outcomes[2].eventIds, outcomes[0].eventIds);
    });
    assert.deepEqual([(await history(app, 'pop-fra1')).totalCount, (await history(app, 'pop-ams1')).totalCount], [counts[0] + 15, counts[1] + 15]);
  });

  it('lets admin and procurement keys in; 403 for other roles, 401 without a valid key', async () => {
    const body = { records: [] };
    const empty = { accepted: 0, duplicates: 0, rejected: 0, projected: true, results: [] };
    assert.deepEqual(await postRecords(app.url, body, { role: 'admin' }), { status: 200, contentType: 'application/json; charset=utf-8', body: empty });
    assert.equal((await postRecords(app.url, body, { role: 'procurement' })).status, 200);
    for (const role of ['planner', 'compliance', 'viewer'] as const) {
      const answer = await postRecords(app.url, body, { role });
      assert.deepEqual({ status: answer.status, code: answer.body.code }, problem('FORBIDDEN'));
      assert.equal(answer.body.detail, `Role ${role} may not do this; allowed roles: admin, procurement`);
    }
    for (const headers of [{}, { authorization: 'Bearer wrong-secret-123' }] as Record<string, string>[]) {
      const answer = await postRecords(app.url, body, { role: null, headers });
      assert.deepEqual({ status: answer.status, code: answer.body.code }, problem('UNAUTHENTICATED'));
      assert.match(answer.contentType, /^application\/problem\+json/);
    }
  });

  it('answers 413 for more than 1,000 records and for a body over 5 MB', async () => {
    const many = await postRecords(app.url, { records: Array.from({ length: 1001 }, (_, i) => circuit(`BIG-${i}`, 'fra1', `BIG-${i}`)) });
    assert.deepEqual({ status: many.status, code: many.body.code, detail: many.body.detail }, {
      ...problem('PAYLOAD_TOO_LARGE'),
      detail: 'A batch holds at most 1000 records, got 1001: split it into several requests',
    });
    const huge = await postRecords(app.url, undefined, { raw: JSON.stringify({ records: [{ externalId: 'HUGE', pad: 'x'.repeat(5 * 1024 * 1024) }] }) });
    assert.deepEqual({ status: huge.status, code: huge.body.code }, problem('PAYLOAD_TOO_LARGE'));
    assert.equal((await history(app, 'pop-fra1')).events.some((e) => e.commandId === commandIdOf('BIG-0')), false);
  });

  it('answers 400 for malformed JSON and for a body that is not {records: [objects]}', async () => {
    const broken = await postRecords(app.url, undefined, { raw: '{"records": [' });
    assert.deepEqual({ status: broken.status, code: broken.body.code }, problem('BAD_USER_INPUT'));
    assert.match(broken.contentType, /^application\/problem\+json/);
    const shapeless = await postRecords(app.url, { records: [circuit('S-1', 'fra1', 'S-1'), 'S-2'] });
    assert.deepEqual(shapeless.body, {
      type: 'https://pop-ledger.dev/problems/bad-user-input',
      title: 'BAD_USER_INPUT',
      status: 400,
      detail: 'Malformed batch: records[1]: each record must be a JSON object',
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'records[1]', message: 'each record must be a JSON object' }],
    });
    assert.deepEqual((await postRecords(app.url, { records: { a: 1 } })).body.fields, [{ field: 'records', message: 'records must be an array of record objects' }]);
  });
});

describe('POST /integrations/procurement/records with PROCUREMENT_WEBHOOK_SECRET', () => {
  const secret = 'webhook-secret-0123456789';
  let app: TestApp;

  before(async () => {
    app = await startTestApp({}, { ...PATIENT_READS, PROCUREMENT_WEBHOOK_SECRET: secret });
    await registerPop(app, 'ams1');
  });
  after(() => app.close());

  it('requires X-Signature: sha256=<HMAC of the raw body>', async () => {
    const raw = `{ "records": [ ${JSON.stringify(circuit('SIG-1', 'ams1', 'SIG-1'))} ] }`;
    const missing = await postRecords(app.url, undefined, { raw });
    assert.deepEqual({ status: missing.status, code: missing.body.code, detail: missing.body.detail }, {
      ...problem('UNAUTHENTICATED'),
      detail: 'X-Signature must be "sha256=<hex HMAC-SHA256 of the raw body>" made with the webhook secret',
    });
    const wrongSecret = await postRecords(app.url, undefined, { raw, headers: { 'x-signature': signBody(raw, 'another-secret-0123456') } });
    assert.equal(wrongSecret.status, 401);
    // Signed over a re-serialisation rather than the bytes sent.
    const reserialised = await postRecords(app.url, undefined, { raw, headers: { 'x-signature': signBody(JSON.stringify(JSON.parse(raw)), secret) } });
    assert.equal(reserialised.status, 401);
    const malformed = await postRecords(app.url, undefined, { raw, headers: { 'x-signature': 'sha256=abc' } });
    assert.equal(malformed.status, 401);
    assert.equal((await history(app, 'pop-ams1')).totalCount, 1);

    const signed = await postRecords(app.url, undefined, { raw, headers: { 'x-signature': signBody(raw, secret) } });
    assert.equal(signed.status, 200);
    assert.equal(signed.body.accepted, 1);
    assert.equal((await history(app, 'pop-ams1')).totalCount, 2);
  });

  it('still checks the key before the signature', async () => {
    const raw = '{"records":[]}';
    const answer = await postRecords(app.url, undefined, { raw, role: 'viewer', headers: { 'x-signature': signBody(raw, secret) } });
    assert.equal(answer.status, 403);
  });
});
