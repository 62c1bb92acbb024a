import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasValidSignature, signBody } from '../../src/procurement/write/webhook-signature.util';

const secret = '0123456789abcdef';
const body = '{"records":[]}';
const signature = 'sha256=6041ca80f2a29d02154254382867d4f952daeda9001acfd391d079a178b2f234';

describe('webhook signature', () => {
  it('is the hex HMAC-SHA256 of the raw body', () => {
    assert.equal(signBody(body, secret), signature);
    assert.equal(signBody(Buffer.from(body), secret), signature);
  });

  it('accepts exactly the right signature of exactly these bytes', () => {
    assert.equal(hasValidSignature(Buffer.from(body), signature, secret), true);
    assert.equal(hasValidSignature(Buffer.from(body), signature.toUpperCase().replace('SHA256', 'sha256'), secret), true);
    assert.equal(hasValidSignature(Buffer.from('{"records": []}'), signature, secret), false);
    assert.equal(hasValidSignature(Buffer.from(body), signature, 'another-secret-16'), false);
    assert.equal(hasValidSignature(Buffer.from(body), signature.slice(0, -2), secret), false);
    assert.equal(hasValidSignature(Buffer.from(body), signature.replace('sha256=', ''), secret), false);
    assert.equal(hasValidSignature(Buffer.from(body), undefined, secret), false);
    assert.equal(hasValidSignature(Buffer.from(body), [signature, signature], secret), false);
    assert.equal(hasValidSignature(undefined, signature, secret), false);
  });
});
