import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LARGE_ANSWER_CHARS, largeAnswerAsBuffer } from '../../../src/platform/api/http/large-answer.util';
import { KEYS, startTestApp } from '../../support/test-app';

test('largeAnswerAsBuffer turns a large string answer into its UTF-8 bytes and leaves everything else as it is', () => {
  const large = `{"reason":"${'é → 東京 '.repeat(LARGE_ANSWER_CHARS / 4)}"}`;
  const bytes = largeAnswerAsBuffer(large);
  assert.ok(Buffer.isBuffer(bytes));
  assert.deepEqual(bytes, Buffer.from(large, 'utf8'));
  assert.equal(bytes.toString('utf8'), large);

  const small = '{"reason":"é"}';
  assert.equal(largeAnswerAsBuffer(small), small);
  const buffer = Buffer.from(large);
  assert.equal(largeAnswerAsBuffer(buffer), buffer);
  assert.equal(largeAnswerAsBuffer(null), null);
});

/** The schema's types with their fields and descriptions: an answer of well over 64 KiB within the query limits. */
const SCHEMA_TYPES = '{ __schema { types { name description fields { name description type { name kind } } inputFields { name description } enumValues { name description } } } }';

test('a GraphQL answer larger than the threshold arrives whole, with its byte length as content-length', async () => {
  const { url, close } = await startTestApp();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` },
      body: JSON.stringify({ query: SCHEMA_TYPES }),
    });
    const body = Buffer.from(await response.arrayBuffer());
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(Number(response.headers.get('content-length')), body.length);
    assert.ok(body.length >= LARGE_ANSWER_CHARS, `the schema's types (${body.length} bytes) must be large enough to go as bytes`);
    const answer = JSON.parse(body.toString('utf8')) as { data?: { __schema?: { types: unknown[] } }; errors?: unknown };
    assert.equal(answer.errors, undefined);
    assert.ok((answer.data?.__schema?.types.length ?? 0) > 0);
  } finally {
    await close();
  }
});
